using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Rpc;

/// <summary>
/// Decoded revert data: <c>Error(string)</c> (0x08c379a0) gives a reason, <c>Panic(uint256)</c> (0x4e487b71) a panic code,
/// anything else is a custom error identified by its selector.
/// </summary>
public sealed class RevertReason
{
    /// <summary>Selector of <c>Error(string)</c>.</summary>
    public const string ErrorStringSelector = "0x08c379a0";

    /// <summary>Selector of <c>Panic(uint256)</c>.</summary>
    public const string PanicSelector = "0x4e487b71";

    private RevertReason(byte[] data, string? reason, BigInteger? panicCode, string? selector)
    {
        Data = data;
        Reason = reason;
        PanicCode = panicCode;
        Selector = selector;
    }

    /// <summary>Raw revert data.</summary>
    public byte[] Data { get; }

    /// <summary>Decoded Error(string) message, or a description of the panic.</summary>
    public string? Reason { get; }

    /// <summary>Panic code when the data is Panic(uint256).</summary>
    public BigInteger? PanicCode { get; }

    /// <summary>First four bytes as 0x-hex, when there are at least four.</summary>
    public string? Selector { get; }

    /// <summary>Decodes revert data; never throws (malformed data just yields no reason).</summary>
    public static RevertReason Decode(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < 4)
        {
            return new RevertReason(data, null, null, null);
        }

        var selector = data.AsSpan(0, 4).ToArray().ToHex(prefix: true);
        try
        {
            if (selector == ErrorStringSelector)
            {
                var reason = (string?)AbiTupleType.DecodeSequence([AbiType.Parse("string")], data.AsSpan(4), 0)[0];
                return new RevertReason(data, reason, null, selector);
            }

            if (selector == PanicSelector)
            {
                var code = (BigInteger)AbiTupleType.DecodeSequence([AbiType.Parse("uint256")], data.AsSpan(4), 0)[0]!;
                return new RevertReason(data, $"panic 0x{code:x2} ({DescribePanic(code)})", code, selector);
            }
        }
        catch (AbiDecodingException)
        {
            // Malformed standard error: keep the selector, no reason.
        }

        return new RevertReason(data, null, null, selector);
    }

    /// <summary>Decodes <paramref name="data"/> as the custom error <typeparamref name="TError"/> ([Error] attribute), or null.</summary>
    public static TError? TryDecodeCustomError<TError>(byte[] data)
        where TError : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        var abi = AbiTypedRegistry.GetFunction<TError>();
        if (data.Length < 4 || !data.AsSpan(0, 4).SequenceEqual(abi.Selector))
        {
            return null;
        }

        var values = abi.DecodeInput(data);
        return (TError)AbiParameterMetadata.For(typeof(TError)).CreateInstance(values);
    }

    private static string DescribePanic(BigInteger code) => (int)(code & 0xff) switch
    {
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "invalid storage byte array",
        0x31 => "pop on empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to uninitialised function",
        _ => "unknown panic",
    };
}
