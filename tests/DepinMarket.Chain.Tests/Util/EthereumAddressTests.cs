using System.Text.Json;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Util;

public class EthereumAddressTests
{
    private const string Checksummed = "0x1368Ab3343E2d9B945696eD5757bE2C4556e9266";

    [Theory]
    [InlineData(null, AddressError.Empty)]
    [InlineData("", AddressError.Empty)]
    [InlineData("1368ab3343e2d9b945696ed5757be2c4556e9266", AddressError.MissingPrefix)]
    [InlineData("0x1368ab3343e2d9b945696ed5757be2c4556e92", AddressError.WrongLength)]
    [InlineData("0x1368ab3343e2d9b945696ed5757be2c4556e926600", AddressError.WrongLength)]
    [InlineData("0x1368ab3343e2d9b945696ed5757be2c4556e926g", AddressError.NotHex)]
    [InlineData("0x1368ab3343E2d9B945696eD5757bE2C4556e9266", AddressError.ChecksumMismatch)]
    public void TryParse_reports_the_reason_for_each_kind_of_bad_input(string? input, AddressError expected)
    {
        Assert.False(EthereumAddress.TryParse(input, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void All_upper_case_address_is_accepted_without_checksum()
    {
        var upper = "0x" + Checksummed[2..].ToUpperInvariant();

        Assert.True(EthereumAddress.TryParse(upper, out var address));
        Assert.Equal(Checksummed, address.ToString());
    }

    [Fact]
    public void Default_is_the_zero_address()
    {
        Assert.True(default(EthereumAddress).IsZero);
        Assert.Equal("0x0000000000000000000000000000000000000000", EthereumAddress.Zero.ToString());
        Assert.False(EthereumAddress.Parse(Checksummed).IsZero);
    }

    [Fact]
    public void Json_round_trips_in_checksum_form_and_rejects_a_bad_checksum()
    {
        var address = EthereumAddress.Parse(Checksummed.ToLowerInvariant());

        var json = JsonSerializer.Serialize(address);
        Assert.Equal($"\"{Checksummed}\"", json);
        Assert.Equal(address, JsonSerializer.Deserialize<EthereumAddress>(json));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<EthereumAddress>("\"0x1368ab3343E2d9B945696eD5757bE2C4556e9266\""));
    }
}
