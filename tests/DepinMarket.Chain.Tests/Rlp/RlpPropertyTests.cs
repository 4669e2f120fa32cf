using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rlp;

namespace DepinMarket.Chain.Tests.Rlp;

public class RlpPropertyTests
{
    [Fact]
    public void Decode_of_encode_is_identity_for_2000_random_trees_with_a_fixed_seed()
    {
        var random = new Random(20251122);
        for (var i = 0; i < 2000; i++)
        {
            var item = RandomItem(random, depth: 0);

            var encoded = RlpEncoder.Encode(item);
            var decoded = RlpDecoder.Decode(encoded);

            Assert.Equal(item, decoded);
            // Canonical: re-encoding the decoded value gives the same bytes.
            Assert.Equal(encoded, RlpEncoder.Encode(decoded));
        }
    }

    [Fact]
    public void Strings_around_the_55_byte_boundary_and_long_lists_round_trip()
    {
        foreach (var length in new[] { 0, 1, 54, 55, 56, 57, 255, 256, 65535, 65536 })
        {
            var item = RlpItem.FromBytes(Enumerable.Repeat((byte)0xaa, length).ToArray());
            Assert.Equal(item, RlpDecoder.Decode(RlpEncoder.Encode(item)));
        }

        var list = new RlpList(Enumerable.Range(0, 1000).Select(i => (RlpItem)RlpItem.FromBigInteger(i)));
        Assert.Equal(list, RlpDecoder.Decode(RlpEncoder.Encode(list)));
    }

    [Theory]
    [InlineData("0x8100", "single byte 0x00 wrapped in a prefix")]
    [InlineData("0x817f", "single byte 0x7f wrapped in a prefix")]
    [InlineData("0xb80100", "long form for a 1-byte string")]
    [InlineData("0xb837" + "00", "long form for a length under 56")]
    [InlineData("0xb90038" + "00", "length with a leading zero byte")]
    [InlineData("0xf800", "long list form for an empty list")]
    [InlineData("0x83aabb", "string shorter than its prefix claims")]
    [InlineData("0xc3aabb", "list shorter than its prefix claims")]
    [InlineData("0xc28100", "non-canonical item inside a list")]
    [InlineData("0x8001", "trailing byte after the item")]
    [InlineData("0xc2c3", "list item overrunning its parent list")]
    [InlineData("0x", "empty input")]
    public void Non_canonical_or_malformed_input_is_rejected(string hex, string why)
    {
        _ = why;
        Assert.Throws<RlpException>(() => RlpDecoder.Decode(hex.HexToByteArray()));
    }

    [Fact]
    public void Integer_with_a_leading_zero_byte_is_rejected()
    {
        var item = (RlpString)RlpDecoder.Decode("0x820001".HexToByteArray());

        Assert.Throws<RlpException>(() => item.ToBigInteger());
    }

    private static RlpItem RandomItem(Random random, int depth)
    {
        if (depth < 4 && random.Next(3) == 0)
        {
            var count = random.Next(0, 6);
            return new RlpList(Enumerable.Range(0, count).Select(_ => RandomItem(random, depth + 1)));
        }

        // Bias towards the interesting lengths: 0, 1 (both sides of 0x80), and around 55/56.
        var length = random.Next(6) switch
        {
            0 => 0,
            1 => 1,
            2 => random.Next(54, 58),
            3 => random.Next(200, 300),
            _ => random.Next(0, 60),
        };
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return RlpItem.FromBytes(bytes);
    }
}
