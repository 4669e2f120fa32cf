using System.Text.Json;

namespace DepinMarket.Chain.Tests.Vectors;

/// <summary>
/// Loads ../shared/vectors/evm-vectors.json (made with ethers.js 6, an independent implementation).
/// The file is found through DEPINMARKET_VECTORS or by walking up from the test binaries. When it is missing the
/// vector theories still produce one case each, and that case fails: a missing file must never look like a pass.
/// </summary>
public static class EvmVectors
{
    public const string EnvironmentVariable = "DEPINMARKET_VECTORS";

    private const string RelativePath = "shared/vectors/evm-vectors.json";

    private static readonly Lazy<(JsonDocument? Document, string Error)> Loaded = new(Load);

    /// <summary>The category names the file is expected to hold, with the minimum number of records in each.</summary>
    public static readonly IReadOnlyDictionary<string, int> ExpectedCategories = new Dictionary<string, int>
    {
        ["keccak256"] = 25,
        ["addresses"] = 24,
        ["eip55Invalid"] = 24,
        ["rlp"] = 25,
        ["tx1559"] = 24,
        ["txLegacy"] = 24,
        ["personalSign"] = 24,
        ["abiCalls"] = 48,
        ["abiDecode"] = 24,
        ["events"] = 24,
        ["eip712"] = 24,
    };

    /// <summary>The parsed file; throws with the search details when it could not be found or read.</summary>
    public static JsonElement Root
    {
        get
        {
            var (document, error) = Loaded.Value;
            return document?.RootElement ?? throw new FileNotFoundException(error);
        }
    }

    /// <summary>Record <paramref name="index"/> of <paramref name="category"/>.</summary>
    public static JsonElement Get(string category, int index)
    {
        var records = Root.GetProperty(category);
        if (index < 0 || index >= records.GetArrayLength())
        {
            throw new InvalidOperationException($"Vector {category}[{index}] does not exist.");
        }

        return records[index];
    }

    /// <summary>
    /// Theory rows (case name, index) for one category, optionally only the records <paramref name="include"/> accepts.
    /// Strings and ints serialise, so every vector is discovered as its own test case with a readable name. Indexes stay
    /// those of the whole category.
    /// </summary>
    public static TheoryData<string, int> Cases(string category, Func<JsonElement, string> describe, Func<JsonElement, bool>? include = null)
    {
        var data = new TheoryData<string, int>();
        var (document, error) = Loaded.Value;
        if (document is null || !document.RootElement.TryGetProperty(category, out var records))
        {
            data.Add($"{category}: vectors missing ({Shorten(error)})", -1);
            return data;
        }

        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (include is null || include(record))
            {
                data.Add($"{category}[{index}] {Shorten(describe(record))}", index);
            }

            index++;
        }

        return data;
    }

    public static string? LocateFile()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? Path.Combine(fromEnvironment, "evm-vectors.json") : fromEnvironment;
        }

        // Walking up covers both layouts: shared/ inside the repo, or beside it (../shared from the repo root).
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (JsonDocument? Document, string Error) Load()
    {
        var path = LocateFile();
        if (path is null)
        {
            return (null, $"{RelativePath} not found above {AppContext.BaseDirectory}; set {EnvironmentVariable}");
        }

        try
        {
            return (JsonDocument.Parse(File.ReadAllText(path)), string.Empty);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return (null, $"{path}: {ex.Message}");
        }
    }

    private static string Shorten(string text) => text.Length <= 90 ? text : text[..87] + "...";
}
