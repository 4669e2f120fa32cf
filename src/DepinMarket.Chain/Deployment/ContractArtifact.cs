using System.Collections.Concurrent;
using System.Text.Json;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Deployment;

/// <summary>
/// A compiled contract embedded in this assembly (src/contracts/artifacts/&lt;Name&gt;.json, format
/// "depinmarket-artifact-1"): its creation bytecode, which the deployment messages of the ContractDefinition namespaces
/// carry. Embedding it lets the API deploy without the repository.
/// </summary>
internal sealed class ContractArtifact
{
    private const string ResourcePrefix = "DepinMarket.Chain.Artifacts.";

    private static readonly ConcurrentDictionary<string, ContractArtifact> Cache = new(StringComparer.Ordinal);

    private ContractArtifact(string contractName, string bytecodeHex)
    {
        ContractName = contractName;
        BytecodeHex = bytecodeHex;
    }

    public static ContractArtifact DepinToken => Load("DepinToken");

    public static ContractArtifact DepinVault => Load("DepinVault");

    public string ContractName { get; }

    /// <summary>Creation (init) code as 0x-hex, without constructor arguments.</summary>
    public string BytecodeHex { get; }

    public static ContractArtifact Load(string contractName) => Cache.GetOrAdd(contractName, Read);

    private static ContractArtifact Read(string contractName)
    {
        var resource = ResourcePrefix + contractName + ".json";
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The assembly does not embed {resource}; see DepinMarket.Chain.csproj.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var bytecodeHex = root.TryGetProperty("bytecode", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : string.Empty;
        if (!bytecodeHex.HasHexPrefix() || bytecodeHex.Length <= 2 || !bytecodeHex.IsHex() || bytecodeHex.Length % 2 != 0)
        {
            // Unlinked library placeholders (__$…$__) end up here too: these contracts use none.
            throw new InvalidOperationException($"{resource} has no deployable bytecode.");
        }

        return new ContractArtifact(contractName, bytecodeHex);
    }
}
