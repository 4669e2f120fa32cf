using DepinMarket.Chain.Abi;

namespace DepinMarket.Chain.Contracts;

/// <summary>Decodes eth_call return data into a typed result.</summary>
public static class FunctionOutputDecoder
{
    /// <summary>
    /// Decodes <paramref name="returnData"/> of <typeparamref name="TFunction"/>. When <typeparamref name="TOutput"/> is a
    /// <see cref="FunctionOutputAttribute"/> DTO its [Parameter] properties are filled; otherwise the first return value
    /// is converted to <typeparamref name="TOutput"/> (BigInteger, string, bool, byte[], lists…).
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

        if (Attribute.IsDefined(typeof(TOutput), typeof(FunctionOutputAttribute)))
        {
            var metadata = AbiParameterMetadata.For(typeof(TOutput));
            var values = AbiTupleType.DecodeSequence(metadata.Parameters.Select(p => p.Type).ToArray(), returnData, 0);
            return (TOutput)metadata.CreateInstance(values);
        }

        if (function.Outputs.Count == 0)
        {
            throw new InvalidOperationException($"{typeof(TFunction).Name} declares no return type.");
        }

        var decoded = function.DecodeOutput(returnData);
        return (TOutput)AbiParameterMetadata.ConvertDecoded(decoded[0], typeof(TOutput), function.Outputs[0].Type)!;
    }
}
