using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Tests.Vectors;

namespace DepinMarket.Chain.Tests.Crypto;

public class KeccakVectorTests
{
    public static TheoryData<string, int> Cases =>
        EvmVectors.Cases("keccak256", v => $"{(v.GetProperty("input").GetString()!.Length - 2) / 2} bytes");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Keccak256_matches_ethers(string name, int index)
    {
        _ = name;
        var vector = EvmVectors.Get("keccak256", index);
        var input = vector.GetProperty("input").GetString()!.HexToByteArray();

        var hash = Sha3Keccack.Current.CalculateHash(input);

        Assert.Equal(vector.GetProperty("hash").GetString(), hash.ToHex(prefix: true));
    }

    [Fact]
    public void Keccak256_of_empty_input_is_the_well_known_constant()
    {
        // Distinguishes Keccak from NIST SHA3-256 (which gives a7ffc6f8...).
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Sha3Keccack.Current.CalculateHash(string.Empty));
    }
}
