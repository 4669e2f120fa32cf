using System.Text.Json;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rlp;
using DepinMarket.Chain.Tests.Vectors;

namespace DepinMarket.Chain.Tests.Rlp;

public class RlpVectorTests
{
    public static TheoryData<string, int> Cases =>
        EvmVectors.Cases("rlp", v => v.GetProperty("encoded").GetString()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_matches_ethers(string name, int index)
    {
        _ = name;
        var vector = EvmVectors.Get("rlp", index);

        var encoded = RlpEncoder.Encode(ToItem(vector.GetProperty("item")));

        Assert.Equal(vector.GetProperty("encoded").GetString(), encoded.ToHex(prefix: true));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_of_ethers_encoding_gives_the_item_back(string name, int index)
    {
        _ = name;
        var vector = EvmVectors.Get("rlp", index);

        var decoded = RlpDecoder.Decode(vector.GetProperty("encoded").GetString()!.HexToByteArray());

        Assert.Equal(ToItem(vector.GetProperty("item")), decoded);
    }

    internal static RlpItem ToItem(JsonElement element) => element.ValueKind == JsonValueKind.Array
        ? new RlpList(element.EnumerateArray().Select(ToItem))
        : RlpItem.FromBytes(element.GetString()!.HexToByteArray());
}
