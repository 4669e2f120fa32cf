using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Abi;

/// <summary>
/// A function (or custom error, which encodes the same way): name, inputs, outputs, the 4-byte selector, and
/// call-data encoding / result decoding. Nethereum's counterpart is <c>FunctionABI</c> + <c>FunctionCallEncoder</c>.
/// </summary>
public sealed class AbiFunction
{
    /// <summary>Builds a function from its parts.</summary>
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter>? outputs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inputs);
        Name = name;
        Inputs = inputs.ToArray();
        Outputs = outputs?.ToArray() ?? [];
        Signature = Name + "(" + string.Join(",", Inputs.Select(p => p.Type.CanonicalName)) + ")";
        Selector = Sha3Keccack.Hash(System.Text.Encoding.ASCII.GetBytes(Signature))[..4];
    }

    /// <summary>Function name.</summary>
    public string Name { get; }

    /// <summary>Input parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>Output parameters (may be empty when unknown).</summary>
    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>Canonical signature, e.g. "transfer(address,uint256)".</summary>
    public string Signature { get; }

    /// <summary>First four bytes of keccak256(signature).</summary>
    public byte[] Selector { get; }

    /// <summary>Selector as 0x-prefixed hex (Nethereum: <c>Sha3Signature</c> without prefix).</summary>
    public string SelectorHex => Selector.ToHex(prefix: true);

    /// <summary>
    /// Parses "transfer(address,uint256)" or "function balanceOf(address owner) returns (uint256)".
    /// </summary>
    public static AbiFunction Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var returnsAt = signature.IndexOf(" returns", StringComparison.Ordinal);
        List<AbiParameter>? outputs = null;
        var head = signature;
        if (returnsAt >= 0)
        {
            head = signature[..returnsAt];
            var tail = signature[(returnsAt + " returns".Length)..].Trim();
            if (!tail.StartsWith('(') || !tail.EndsWith(')'))
            {
                throw new FormatException($"Cannot parse the returns clause of '{signature}'.");
            }

            outputs = AbiSignatureParser.SplitTopLevel(tail[1..^1]).Select(p => AbiSignatureParser.ParseParameter(p, allowIndexed: false)).ToList();
        }

        var (name, inputs) = AbiSignatureParser.Parse(head, allowIndexed: false);
        return new AbiFunction(name, inputs, outputs);
    }

    /// <summary>Selector followed by the ABI encoding of <paramref name="arguments"/>.</summary>
    public byte[] GetCallData(params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var encoded = AbiTupleType.EncodeSequence(Inputs.Select(p => p.Type).ToArray(), arguments);
        return [.. Selector, .. encoded];
    }

    /// <summary>Call data as 0x-prefixed hex.</summary>
    public string GetCallDataHex(params object?[] arguments) => GetCallData(arguments).ToHex(prefix: true);

    /// <summary>Decodes call data back into argument values (checks the selector first).</summary>
    public object?[] DecodeInput(ReadOnlySpan<byte> callData)
    {
        if (callData.Length < 4 || !callData[..4].SequenceEqual(Selector))
        {
            throw new AbiDecodingException($"Call data does not start with the selector of {Signature}.");
        }

        return AbiTupleType.DecodeSequence(Inputs.Select(p => p.Type).ToArray(), callData[4..], 0);
    }

    /// <summary>Decodes the return data of an eth_call.</summary>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) =>
        AbiTupleType.DecodeSequence(Outputs.Select(p => p.Type).ToArray(), returnData, 0);
}
