using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Abi;

public class AbiPropertyTests
{
    private static readonly string[] TypePool =
    [
        "uint8", "uint64", "uint256", "int8", "int128", "int256", "address", "bool", "bytes1", "bytes20", "bytes32", "bytes", "string",
        "uint256[]", "address[]", "bytes32[2]", "string[]", "bytes[3]", "(address,uint256,bytes32)", "(string,uint8[])[]",
        "(uint256,(bool,bytes))", "uint256[2][]", "string[][2]",
    ];

    [Fact]
    public void Decode_of_encode_is_identity_for_500_random_type_lists_and_values_with_a_fixed_seed()
    {
        var random = new Random(42);
        for (var i = 0; i < 500; i++)
        {
            var types = Enumerable.Range(0, random.Next(0, 5)).Select(_ => AbiType.Parse(TypePool[random.Next(TypePool.Length)])).ToArray();
            var values = types.Select(t => RandomValue(t, random)).ToArray();

            var encoded = AbiTupleType.EncodeSequence(types, values);
            var decoded = AbiTupleType.DecodeSequence(types, encoded, 0);

            Assert.Equal(0, encoded.Length % 32);
            Assert.Equal(AbiJson.Canonical(values), AbiJson.Canonical(decoded));
            Assert.Equal(encoded, AbiTupleType.EncodeSequence(types, decoded));
        }
    }

    [Theory]
    [InlineData("uint8", 256)]
    [InlineData("uint256", -1)]
    [InlineData("int8", 128)]
    [InlineData("int8", -129)]
    public void Integer_out_of_range_for_its_type_is_rejected(string type, int value)
    {
        Assert.Throws<AbiEncodingException>(() => AbiType.Parse(type).Encode(new BigInteger(value)));
    }

    [Fact]
    public void Fixed_bytes_of_the_wrong_length_are_rejected_not_padded()
    {
        Assert.Throws<AbiEncodingException>(() => AbiType.Parse("bytes32").Encode(new byte[31]));
    }

    [Fact]
    public void Address_with_a_bad_checksum_is_rejected_when_encoding()
    {
        Assert.Throws<AbiEncodingException>(() => AbiType.Parse("address").Encode("0x1368ab3343E2d9B945696eD5757bE2C4556e9266"));
    }

    [Theory]
    [InlineData("address", "0x0000000000000000000000010000000000000000000000000000000000000000")]
    [InlineData("bool", "0x0000000000000000000000000000000000000000000000000000000000000002")]
    [InlineData("uint8", "0x0000000000000000000000000000000000000000000000000000000000000100")]
    [InlineData("bytes1", "0x0101000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("int8", "0x00000000000000000000000000000000000000000000000000000000000000ff")]
    [InlineData("uint256", "0x00")]
    [InlineData("bytes", "0x0000000000000000000000000000000000000000000000000000000000000020" + "00000000000000000000000000000000000000000000000000000000000000ff")]
    [InlineData("uint256[]", "0x00000000000000000000000000000000000000000000000000000000000000ff")]
    public void Dirty_or_truncated_encodings_are_rejected(string type, string hex)
    {
        Assert.Throws<AbiDecodingException>(() => AbiTupleType.DecodeSequence([AbiType.Parse(type)], hex.HexToByteArray(), 0));
    }

    [Fact]
    public void Huge_array_length_fails_fast_instead_of_allocating()
    {
        // offset 0x20, then a length of 2^31-1 with no elements following.
        var hex = "0x0000000000000000000000000000000000000000000000000000000000000020" + "000000000000000000000000000000000000000000000000000000007fffffff";

        Assert.Throws<AbiDecodingException>(() => AbiTupleType.DecodeSequence([AbiType.Parse("uint256[]")], hex.HexToByteArray(), 0));
    }

    [Theory]
    [InlineData("uint", "uint256")]
    [InlineData("int", "int256")]
    [InlineData("tuple(uint256,bool)", "(uint256,bool)")]
    [InlineData("(address a, uint256 b)[]", "(address,uint256)[]")]
    [InlineData("bytes32[2][]", "bytes32[2][]")]
    public void Type_aliases_and_named_tuple_components_parse_to_the_canonical_name(string text, string canonical)
    {
        Assert.Equal(canonical, AbiType.Parse(text).CanonicalName);
    }

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("bytes33")]
    [InlineData("bytes0")]
    [InlineData("uint256[0]")]
    [InlineData("(uint256")]
    [InlineData("float")]
    public void Invalid_types_are_rejected(string text)
    {
        Assert.ThrowsAny<FormatException>(() => AbiType.Parse(text));
    }

    [Fact]
    public void Event_signature_keeps_names_and_indexed_flags_but_not_in_topic0()
    {
        var transfer = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");

        Assert.Equal("Transfer(address,address,uint256)", transfer.Signature);
        Assert.Equal(["from", "to", "value"], transfer.Parameters.Select(p => p.Name));
        Assert.Equal([true, true, false], transfer.Parameters.Select(p => p.Indexed));
    }

    [Fact]
    public void Function_signature_with_returns_clause_has_outputs()
    {
        var balanceOf = AbiFunction.Parse("function balanceOf(address owner) returns (uint256)");

        Assert.Equal("balanceOf(address)", balanceOf.Signature);
        Assert.Equal("0x70a08231", balanceOf.SelectorHex);
        Assert.Equal("uint256", Assert.Single(balanceOf.Outputs).Type.CanonicalName);
    }

    [Fact]
    public void Indexed_address_topic_encoding_matches_the_left_padded_word()
    {
        var address = EthereumAddress.Parse("0x4FFB617e5E9a0497373963D35CD21a428783Fc68");

        Assert.Equal("0x0000000000000000000000004ffb617e5e9a0497373963d35cd21a428783fc68", AbiEvent.EncodeTopic(AbiType.Parse("address"), address));
    }

    private static object? RandomValue(AbiType type, Random random)
    {
        switch (type)
        {
            case AbiIntegerType integer:
                var bytes = new byte[integer.Bits / 8];
                random.NextBytes(bytes);
                return new BigInteger(bytes, isUnsigned: !integer.IsSigned, isBigEndian: true);
            case AbiAddressType:
                var address = new byte[20];
                random.NextBytes(address);
                return new EthereumAddress(address).ToString();
            case AbiBoolType:
                return random.Next(2) == 1;
            case AbiFixedBytesType fixedBytes:
                var fixedValue = new byte[fixedBytes.Size];
                random.NextBytes(fixedValue);
                return fixedValue;
            case AbiBytesType:
                var dynamicValue = new byte[random.Next(0, 70)];
                random.NextBytes(dynamicValue);
                return dynamicValue;
            case AbiStringType:
                return new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0x20, 0x4FF)).ToArray());
            case AbiArrayType array:
                return Enumerable.Range(0, array.Length ?? random.Next(0, 4)).Select(_ => RandomValue(array.ElementType, random)).ToArray();
            case AbiTupleType tuple:
                return tuple.Components.Select(c => RandomValue(c, random)).ToArray();
            default:
                throw new NotSupportedException(type.CanonicalName);
        }
    }
}
