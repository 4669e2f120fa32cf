using System.Text.Json;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Tests.Vectors;

namespace DepinMarket.Chain.Tests.Abi;

public class AbiVectorTests
{
    public static TheoryData<string, int> CallCases =>
        EvmVectors.Cases("abiCalls", v => v.GetProperty("signature").GetString()!);

    public static TheoryData<string, int> DecodeCases =>
        EvmVectors.Cases("abiDecode", v => string.Join(",", v.GetProperty("types").EnumerateArray().Select(t => t.GetString())));

    public static TheoryData<string, int> EventCases =>
        EvmVectors.Cases("events", v => v.GetProperty("signature").GetString()!);

    [Theory]
    [MemberData(nameof(CallCases))]
    public void Call_data_and_selector_match_ethers_and_decode_back_to_the_arguments(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("abiCalls", index);
        var function = AbiFunction.Parse(v.GetProperty("signature").GetString()!);
        var args = Arguments(function.Inputs.Select(p => p.Type).ToArray(), v.GetProperty("args"));

        Assert.Equal(v.GetProperty("selector").GetString(), function.SelectorHex);
        Assert.Equal(v.GetProperty("calldata").GetString(), function.GetCallDataHex(args));

        var decoded = function.DecodeInput(v.GetProperty("calldata").GetString()!.HexToByteArray());
        Assert.Equal(AbiJson.Canonical(args), AbiJson.Canonical(decoded));
    }

    [Theory]
    [MemberData(nameof(DecodeCases))]
    public void Decoding_ethers_encoding_gives_the_values_and_encoding_them_gives_the_bytes(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("abiDecode", index);
        var types = v.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();
        var expected = Arguments(types, v.GetProperty("values"));
        var encoded = v.GetProperty("encoded").GetString()!;

        var decoded = AbiTupleType.DecodeSequence(types, encoded.HexToByteArray(), 0);

        Assert.Equal(AbiJson.Canonical(expected), AbiJson.Canonical(decoded));
        Assert.Equal(encoded, AbiTupleType.EncodeSequence(types, expected).ToHex(prefix: true));
    }

    [Theory]
    [MemberData(nameof(EventCases))]
    public void Event_topic0_matches_ethers_and_the_log_decodes_to_the_values(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("events", index);
        var abiEvent = AbiEvent.Parse(v.GetProperty("signature").GetString()!);
        var topics = v.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var expected = Arguments(abiEvent.Parameters.Select(p => p.Type).ToArray(), v.GetProperty("values"));

        Assert.Equal(v.GetProperty("topic0").GetString(), abiEvent.Topic0Hex);
        Assert.True(abiEvent.IsLogForEvent(topics));

        var decoded = abiEvent.DecodeLog(topics, v.GetProperty("data").GetString()!);

        Assert.Equal(AbiJson.Canonical(expected), AbiJson.Canonical(decoded));
    }

    private static object?[] Arguments(AbiType[] types, JsonElement values) =>
        values.EnumerateArray().Select((e, i) => AbiJson.FromJson(types[i], e)).ToArray();
}
