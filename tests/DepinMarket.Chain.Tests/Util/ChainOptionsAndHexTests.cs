using System.Numerics;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Tests.Util;

public class ChainOptionsAndHexTests
{
    [Fact]
    public void Valid_options_have_no_errors_and_known_test_chains_are_test_networks()
    {
        var options = new ChainOptions { RpcUrl = new Uri("http://127.0.0.1:8545"), ChainId = 31337, VaultAddress = "0x3c73B1F2a2bbC1Bb9E13a66ba789E20063cA28e9" };

        Assert.Empty(options.Validate());
        Assert.True(options.IsTestNet);
        Assert.False(new ChainOptions { ChainId = 1 }.IsTestNet);
        Assert.True(new ChainOptions { ChainId = 1, IsTestNetwork = true }.IsTestNet);
    }

    [Fact]
    public void Invalid_options_report_each_problem()
    {
        var options = new ChainOptions { RpcUrl = null, ChainId = 0, ConfirmationDepth = 0, VaultAddress = "0x3c73b1F2a2bbC1Bb9E13a66ba789E20063cA28e9" };

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("RpcUrl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ChainId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ConfirmationDepth", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("checksum does not match", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0x", "")]
    [InlineData("0xABcd", "abcd")]
    [InlineData("abc", "0abc")]
    public void Hex_parses_with_or_without_prefix_and_odd_length(string input, string expectedLowerHex)
    {
        Assert.Equal(expectedLowerHex, input.HexToByteArray().ToHex());
    }

    [Fact]
    public void Non_hex_characters_are_an_error_not_silently_dropped()
    {
        Assert.Throws<FormatException>(() => "0x12zz".HexToByteArray());
    }

    [Theory]
    [InlineData(0, "0x0")]
    [InlineData(26, "0x1a")]
    [InlineData(256, "0x100")]
    public void Quantities_round_trip_without_leading_zeros(int value, string hex)
    {
        Assert.Equal(hex, new BigInteger(value).ToHexQuantity());
        Assert.Equal(new BigInteger(value), hex.HexToBigInteger());
    }

    [Fact]
    public void High_first_hex_digit_is_not_read_as_negative()
    {
        Assert.Equal(new BigInteger(255), "0xff".HexToBigInteger());
    }
}
