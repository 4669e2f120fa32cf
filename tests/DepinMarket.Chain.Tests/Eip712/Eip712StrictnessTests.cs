using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Eip712;
using DepinMarket.Chain.Eip712.Eip2612;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Eip712;

/// <summary>What a signer sees must be exactly what is signed: anything ambiguous is refused, not guessed.</summary>
public class Eip712StrictnessTests
{
    private const string Mail = """
        {"primaryType":"Mail","domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
         "types":{"Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}],
                  "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}]},
         "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}
        """;

    [Fact]
    public void The_EIP712_example_from_the_specification_hashes_to_its_published_digest()
    {
        // EIP-712's own test case (eip-712.md, "Example"), independent of the shared vectors.
        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(Mail).ToHex(prefix: true));
    }

    [Theory]
    [InlineData("\"contents\":\"Hello, Bob!\"", "\"contents\":\"Hello, Bob!\",\"bcc\":\"Eve\"", "no member bcc")]
    [InlineData(",\"contents\":\"Hello, Bob!\"", "", "contents is missing")]
    [InlineData("\"name\":\"Ether Mail\"", "\"name\":\"Ether Mail\",\"owner\":\"me\"", "owner")]
    [InlineData("\"contents\":\"Hello, Bob!\"", "\"contents\":7", "Mail.contents")]
    public void Extra_missing_or_mistyped_members_are_refused(string original, string replacement, string expectedMessage)
    {
        var json = Mail.Replace(original, replacement, StringComparison.Ordinal);

        var ex = Assert.ThrowsAny<Exception>(() => Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(json));

        Assert.True(ex is FormatException or ArgumentException, ex.GetType().Name);
        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uint8", "256")]
    [InlineData("int8", "-129")]
    [InlineData("bytes4", "\"0x0102\"")]
    [InlineData("bool", "1")]
    [InlineData("address", "\"0x1234\"")]
    [InlineData("uint256[2]", "[1]")]
    [InlineData("Nope", "{}")]
    public void Values_that_do_not_fit_their_type_and_unknown_types_are_refused(string type, string value)
    {
        var json = $$$"""{"primaryType":"T","domain":{"chainId":1},"types":{"T":[{"name":"x","type":"{{{type}}}"}]},"message":{"x":{{{value}}}}}""";

        var ex = Assert.ThrowsAny<Exception>(() => Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(json));

        Assert.True(ex is FormatException or ArgumentException, $"{ex.GetType().Name}: {ex.Message}");
    }

    [Fact]
    public void A_declared_EIP712Domain_that_disagrees_with_the_typed_domain_is_refused()
    {
        var typedData = Eip2612TypeFactory.GetTypedDefinition(Eip2612TypeFactory.TokenDomain("T", 1, EthereumAddress.Zero));
        typedData.Types[Eip712TypedDataEncoder.DomainTypeName] = [new MemberDescription { Name = "name", Type = "string" }];
        typedData.SetMessage(new Permit { Owner = EthereumAddress.Zero.ToString(), Spender = EthereumAddress.Zero.ToString() });

        Assert.Throws<ArgumentException>(() => Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedData));
    }

    [Fact]
    public void Declaring_EIP712Domain_in_the_json_types_gives_the_same_digest_as_deriving_it()
    {
        var declared = Mail.Replace(
            "\"types\":{",
            "\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}],",
            StringComparison.Ordinal);

        Assert.Equal(Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(Mail), Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(declared));
    }

    [Fact]
    public void A_tampered_message_recovers_to_someone_else()
    {
        var key = new EthECKey("0x" + new string('2', 64));
        var signature = Eip712TypedDataSigner.Current.SignTypedDataV4(Mail, key);

        Assert.Equal(key.GetPublicAddress(), Eip712TypedDataSigner.Current.RecoverFromSignatureV4(Mail, signature));
        Assert.NotEqual(key.GetPublicAddress(), Eip712TypedDataSigner.Current.RecoverFromSignatureV4(Mail.Replace("Hello, Bob!", "Hello, Eve!", StringComparison.Ordinal), signature));
    }
}
