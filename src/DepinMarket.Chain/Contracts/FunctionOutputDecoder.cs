using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Contracts;

/// <summary>Decodes eth_call return data into a typed result.</summary>
public static class FunctionOutputDecoder
{
    /// <summary>
    /// Decodes <paramref name="returnData"/> of <typeparamref name="TFunction"/>. When <typeparamref name="TOutput"/> is an
    /// output DTO (<see cref="IFunctionOutputDTO"/> or <see cref="FunctionOutputAttribute"/>, on it or a base class) its
    /// [Parameter] properties are filled; otherwise the first return value is converted to <typeparamref name="TOutput"/>
    /// (BigInteger, string, bool, byte[], lists…).
    /// </summary>
    public static TOutput Decode<TFunction, TOutput>(byte[] returnData)
        where TFunction : FunctionMessage
    {
        ArgumentNullException.ThrowIfNull(returnData);
        var function = AbiTypedRegistry.GetFunction<TFunction>();
        if (returnData.Length == 0 && function.Outputs.Count > 0)
        {
            // An empty result for a function with outputs means there was no contract at the address (or it stopped).
            throw new AbiDecodingException($"{function.Signature} returned no data; is there a contract at that address?");
        }

        if (IsOutputDto(typeof(TOutput)))
        {
            return (TOutput)AbiParameterMetadata.For(typeof(TOutput)).CreateInstance(DecodeDtoValues(typeof(TOutput), returnData));
        }

        if (function.Outputs.Count == 0)
        {
            throw new InvalidOperationException($"{typeof(TFunction).Name} declares no return type.");
        }

        var decoded = function.DecodeOutput(returnData);
        return (TOutput)AbiParameterMetadata.ConvertDecoded(decoded[0], typeof(TOutput), function.Outputs[0].Type)!;
    }

    /// <summary>
    /// Fills <paramref name="output"/> from hex return data and returns it (Nethereum: <c>outputDto.DecodeOutput(hex)</c>).
    /// </summary>
    public static TOutput DecodeOutput<TOutput>(this TOutput output, string returnDataHex)
        where TOutput : IFunctionOutputDTO
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(returnDataHex);
        var type = output.GetType();
        AbiParameterMetadata.For(type).SetValues(output, DecodeDtoValues(type, returnDataHex.HexToByteArray()));
        return output;
    }

    /// <summary>True for types decoded property by property: <see cref="IFunctionOutputDTO"/> or [FunctionOutput], inherited.</summary>
    public static bool IsOutputDto(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return typeof(IFunctionOutputDTO).IsAssignableFrom(type) || Attribute.IsDefined(type, typeof(FunctionOutputAttribute), inherit: true);
    }

    private static object?[] DecodeDtoValues(Type dtoType, byte[] returnData)
    {
        var parameters = AbiParameterMetadata.For(dtoType).Parameters;
        return AbiTupleType.DecodeSequence(parameters.Select(p => p.Type).ToArray(), returnData, 0);
    }
}
