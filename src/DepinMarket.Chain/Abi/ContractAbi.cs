using System.Text.Json;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Abi;

/// <summary>
/// A contract's JSON ABI (the solc / Hardhat / Foundry "abi" array, or an artifact object holding one): its
/// functions, events, custom errors and constructor. Used to check typed DTOs against the compiled contracts and to name the custom
/// error behind revert data. Nethereum's counterpart is <c>ABIDeserialiser</c> + <c>ContractABI</c>.
/// </summary>
public sealed class ContractAbi
{
    private ContractAbi(IReadOnlyList<AbiFunction> functions, IReadOnlyList<AbiEvent> events, IReadOnlyList<AbiFunction> errors, IReadOnlyList<AbiParameter> constructorInputs)
    {
        Functions = functions;
        Events = events;
        Errors = errors;
        ConstructorInputs = constructorInputs;
    }

    /// <summary>The constructor's parameters (empty when the contract declares no constructor).</summary>
    public IReadOnlyList<AbiParameter> ConstructorInputs { get; }

    /// <summary>Functions, with outputs.</summary>
    public IReadOnlyList<AbiFunction> Functions { get; }

    /// <summary>Events (indexed flags and names kept).</summary>
    public IReadOnlyList<AbiEvent> Events { get; }

    /// <summary>Custom errors, encoded like functions.</summary>
    public IReadOnlyList<AbiFunction> Errors { get; }

    /// <summary>Parses an ABI JSON array, or an object with an "abi" property (a build artifact).</summary>
    public static ContractAbi FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("abi", out var abi))
        {
            root = abi;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("An ABI is a JSON array (or an object with an \"abi\" array).");
        }

        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiFunction>();
        IReadOnlyList<AbiParameter> constructorInputs = [];
        foreach (var entry in root.EnumerateArray())
        {
            var kind = entry.TryGetProperty("type", out var t) ? t.GetString() : "function";
            var name = entry.TryGetProperty("name", out var n) ? n.GetString() : null;
            switch (kind)
            {
                case "function":
                    functions.Add(new AbiFunction(name!, Parameters(entry, "inputs"), Parameters(entry, "outputs")));
                    break;
                case "event":
                    events.Add(new AbiEvent(name!, Parameters(entry, "inputs")));
                    break;
                case "error":
                    errors.Add(new AbiFunction(name!, Parameters(entry, "inputs")));
                    break;
                case "constructor":
                    constructorInputs = Parameters(entry, "inputs");
                    break;
            }
        }

        return new ContractAbi(functions, events, errors, constructorInputs);
    }

    /// <summary>The function named <paramref name="name"/> (the first, if overloaded).</summary>
    public AbiFunction? FindFunction(string name) => Functions.FirstOrDefault(f => f.Name == name);

    /// <summary>The event named <paramref name="name"/>.</summary>
    public AbiEvent? FindEvent(string name) => Events.FirstOrDefault(e => e.Name == name);

    /// <summary>The custom error whose selector starts <paramref name="revertData"/>, if this contract declares it.</summary>
    public AbiFunction? FindError(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length < 4)
        {
            return null;
        }

        var selector = revertData[..4].ToArray().ToHex(prefix: true);
        return Errors.FirstOrDefault(e => e.SelectorHex == selector);
    }

    private static List<AbiParameter> Parameters(JsonElement entry, string property)
    {
        if (!entry.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return list.EnumerateArray().Select(p => new AbiParameter(
            AbiType.Parse(TypeText(p)),
            p.TryGetProperty("name", out var name) ? name.GetString() : null,
            p.TryGetProperty("indexed", out var indexed) && indexed.ValueKind == JsonValueKind.True)).ToList();
    }

    /// <summary>"tuple[]" with components becomes "(t1,t2)[]".</summary>
    private static string TypeText(JsonElement parameter)
    {
        var type = parameter.GetProperty("type").GetString()!;
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return type;
        }

        var components = parameter.TryGetProperty("components", out var c)
            ? c.EnumerateArray().Select(TypeText)
            : [];
        return "(" + string.Join(",", components) + ")" + type[5..];
    }
}
