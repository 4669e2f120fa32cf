using System.Collections.Concurrent;
using System.Text.Json;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Deployment;

/// <summary>
/// A compiled contract embedded in this assembly (src/contracts/artifacts/&lt;Name&gt;.json, format
/// "depinmarket-artifact-1"): its ABI and creation bytecode. Embedding them lets the API deploy without the repository.
/// </summary>
internal sealed class ContractArtifact
{
    private const string ResourcePrefix = "DepinMarket.Chain.Artifacts.";

    private static readonly ConcurrentDictionary<string, ContractArtifact> Cache = new(StringComparer.Ordinal);

    private ContractArtifact(string contractName, ContractAbi abi, byte[] bytecode, JsonElement constructorInputs)
    {
        ContractName = contractName;
        Abi = abi;
        Bytecode = bytecode;
        ConstructorParameterTypes = constructorInputs.ValueKind == JsonValueKind.Array
            ? constructorInputs.EnumerateArray().Select(p => AbiType.Parse(p.GetProperty("type").GetString()!)).ToList()
            : [];
    }

    public static ContractArtifact DepinToken => Load("DepinToken");

    public static ContractArtifact DepinVault => Load("DepinVault");

    public string ContractName { get; }

    public ContractAbi Abi { get; }

    /// <summary>Creation (init) code, without constructor arguments.</summary>
    public byte[] Bytecode { get; }

    /// <summary>The constructor's parameter types, from the ABI.</summary>
    public IReadOnlyList<AbiType> ConstructorParameterTypes { get; }

    /// <summary>The data of a contract-creation transaction: init code followed by the ABI-encoded constructor arguments.</summary>
    public byte[] GetDeploymentData(params object?[] constructorArguments)
    {
        ArgumentNullException.ThrowIfNull(constructorArguments);
        if (constructorArguments.Length != ConstructorParameterTypes.Count)
        {
            throw new ArgumentException(
                $"{ContractName}'s constructor takes {ConstructorParameterTypes.Count} arguments, not {constructorArguments.Length}.",
                nameof(constructorArguments));
        }

        return [.. Bytecode, .. AbiTupleType.EncodeSequence(ConstructorParameterTypes, constructorArguments)];
    }

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

        var constructor = root.GetProperty("abi").EnumerateArray()
            .FirstOrDefault(e => e.TryGetProperty("type", out var t) && t.GetString() == "constructor");
        var inputs = constructor.ValueKind == JsonValueKind.Object && constructor.TryGetProperty("inputs", out var i) ? i.Clone() : default;
        return new ContractArtifact(contractName, ContractAbi.FromJson(root.GetRawText()), bytecodeHex.HexToByteArray(), inputs);
    }
}
