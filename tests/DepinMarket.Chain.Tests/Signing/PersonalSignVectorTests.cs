using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Signing;

public class PersonalSignVectorTests
{
    public static TheoryData<string, int> Cases =>
        EvmVectors.Cases("personalSign", v => v.GetProperty("message").GetString()!.Replace("\n", "\\n", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Message_hash_and_signature_match_ethers(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("personalSign", index);
        var message = v.GetProperty("message").GetString()!;
        var key = new EthECKey(v.GetProperty("privateKey").GetString()!);

        Assert.Equal(v.GetProperty("messageHash").GetString(), EthereumMessageSigner.HashPrefixedMessage(message).ToHex(prefix: true));
        Assert.Equal(v.GetProperty("signature").GetString(), EthereumMessageSigner.Current.EncodeUTF8AndSign(message, key));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ethers_signature_recovers_the_signer_address(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("personalSign", index);
        var message = v.GetProperty("message").GetString()!;
        var signature = v.GetProperty("signature").GetString()!;
        var address = v.GetProperty("address").GetString()!;

        Assert.Equal(address, EthereumMessageSigner.Current.EncodeUTF8AndEcRecover(message, signature));
        Assert.True(EthereumMessageSigner.IsValidSignature(message, signature, EthereumAddress.Parse(address)));
        Assert.False(EthereumMessageSigner.IsValidSignature(message + ".", signature, EthereumAddress.Parse(address)));
    }
}
