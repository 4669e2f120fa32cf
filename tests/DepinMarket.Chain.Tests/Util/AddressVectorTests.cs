using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Util;

public class AddressVectorTests
{
    public static TheoryData<string, int> KeyCases =>
        EvmVectors.Cases("addresses", v => v.GetProperty("address").GetString()!);

    public static TheoryData<string, int> InvalidCases =>
        EvmVectors.Cases("eip55Invalid", v => v.GetString()!);

    [Theory]
    [MemberData(nameof(KeyCases))]
    public void Private_key_gives_ethers_public_key_and_checksum_address(string name, int index)
    {
        _ = name;
        var vector = EvmVectors.Get("addresses", index);
        var key = new EthECKey(vector.GetProperty("privateKey").GetString()!);

        Assert.Equal(vector.GetProperty("publicKey").GetString(), key.GetPubKey().ToHex(prefix: true));
        Assert.Equal(vector.GetProperty("address").GetString(), key.GetPublicAddress());
    }

    [Theory]
    [MemberData(nameof(KeyCases))]
    public void Lower_case_address_converts_to_ethers_checksum_and_both_forms_parse_equal(string name, int index)
    {
        _ = name;
        var vector = EvmVectors.Get("addresses", index);
        var lower = vector.GetProperty("lower").GetString()!;
        var checksummed = vector.GetProperty("address").GetString()!;

        Assert.Equal(checksummed, AddressUtil.Current.ConvertToChecksumAddress(lower));
        Assert.True(AddressUtil.Current.IsChecksumAddress(checksummed));
        Assert.False(AddressUtil.Current.IsChecksumAddress(lower) && lower != checksummed);
        Assert.Equal(EthereumAddress.Parse(lower), EthereumAddress.Parse(checksummed));
        Assert.Equal(checksummed, EthereumAddress.Parse(lower).ToString());
        Assert.Equal(lower, EthereumAddress.Parse(checksummed).ToLowerHex());
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Mixed_case_address_with_wrong_checksum_is_rejected_with_checksum_reason(string name, int index)
    {
        _ = name;
        var address = EvmVectors.Get("eip55Invalid", index).GetString()!;

        var ex = Assert.Throws<InvalidAddressException>(() => EthereumAddress.Parse(address));
        Assert.Equal(AddressError.ChecksumMismatch, ex.Reason);
        Assert.Contains("checksum does not match", ex.Message, StringComparison.Ordinal);
        Assert.False(AddressUtil.Current.IsChecksumAddress(address));
        Assert.True(AddressUtil.Current.IsValidEthereumAddressHexFormat(address));
        Assert.False(AddressUtil.Current.IsValidAddress(address));
        // The same bytes without a checksum claim are fine.
        Assert.True(EthereumAddress.TryParse(address.ToLowerInvariant(), out _));
    }
}
