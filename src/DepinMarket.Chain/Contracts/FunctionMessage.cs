using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Contracts;

/// <summary>
/// Base class of typed contract calls, as in Nethereum: subclass it, put <c>[Function("name", "returnType")]</c> on the
/// class and <c>[Parameter("type", "name", order)]</c> on the properties. The optional transaction fields override what
/// the transaction manager would otherwise choose.
/// </summary>
public abstract class FunctionMessage
{
    /// <summary>Wei to send with the call.</summary>
    public BigInteger AmountToSend { get; set; }

    /// <summary>Gas limit; null to estimate.</summary>
    public BigInteger? Gas { get; set; }

    /// <summary>Legacy gas price; normally null (EIP-1559 fees are used).</summary>
    public BigInteger? GasPrice { get; set; }

    /// <summary>EIP-1559 fee cap; null to use the fee strategy.</summary>
    public BigInteger? MaxFeePerGas { get; set; }

    /// <summary>EIP-1559 tip; null to use the fee strategy.</summary>
    public BigInteger? MaxPriorityFeePerGas { get; set; }

    /// <summary>Nonce; null to take one from the nonce source. Set it to replace (re-price) a pending transaction.</summary>
    public BigInteger? Nonce { get; set; }

    /// <summary>Sender for eth_call / estimates; the signer's address is used when sending.</summary>
    public string? FromAddress { get; set; }
}

/// <summary>Encoding helpers for typed function messages.</summary>
public static class FunctionMessageExtensions
{
    /// <summary>The function's ABI description (selector, inputs, outputs).</summary>
    public static AbiFunction GetFunctionAbi(this FunctionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return AbiTypedRegistry.GetFunction(message.GetType());
    }

    /// <summary>Selector + encoded parameters (Nethereum: <c>GetCallData()</c>).</summary>
    public static byte[] GetCallData(this FunctionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var values = AbiParameterMetadata.For(message.GetType()).GetValues(message);
        return message.GetFunctionAbi().GetCallData(values);
    }

    /// <summary>Call data as 0x-prefixed hex.</summary>
    public static string GetCallDataHex(this FunctionMessage message) => message.GetCallData().ToHex(prefix: true);
}
