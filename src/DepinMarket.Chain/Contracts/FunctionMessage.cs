using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Contracts;

/// <summary>
/// Base class of typed contract calls, as in Nethereum: subclass it, put <c>[Function("name", "returnType")]</c> on the
/// class and <c>[Parameter("type", "name", order)]</c> on the properties. The optional transaction fields (from
/// <see cref="ContractMessageBase"/>) override what the transaction manager would otherwise choose.
/// </summary>
public abstract class FunctionMessage : ContractMessageBase
{
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
