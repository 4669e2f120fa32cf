using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Tests;

public sealed class TokenAmountTests
{
    [Theory]
    [InlineData("2.5", "2500000000000000000")]
    [InlineData("0.000000000000000001", "1")]
    [InlineData("1", "1000000000000000000")]
    [InlineData("007.10", "7100000000000000000")]
    [InlineData("0", "0")]
    public void Parses_whole_token_strings_into_exact_base_units(string text, string baseUnits)
    {
        Assert.True(TokenAmount.TryParse(text, out var amount, out _));
        Assert.Equal(BigInteger.Parse(baseUnits, System.Globalization.CultureInfo.InvariantCulture), amount.BaseUnits);
    }

    [Theory]
    [InlineData("1.0000000000000000001", "19 decimals")]
    [InlineData("-1", "negative")]
    [InlineData("1e18", "decimal string")]
    [InlineData("1,5", "decimal string")]
    [InlineData(" 1", "decimal string")]
    [InlineData(".5", "decimal string")]
    [InlineData("5.", "decimal string")]
    [InlineData("", "empty")]
    [InlineData("115792089237316195423570985008687907853269984665640564039458", "largest amount")]
    public void Refuses_what_is_not_an_exact_non_negative_amount_and_says_why(string text, string reason)
    {
        Assert.False(TokenAmount.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Formats_without_trailing_zeros_and_round_trips_over_random_amounts()
    {
        Assert.Equal("2.5", new TokenAmount(BigInteger.Parse("2500000000000000000", System.Globalization.CultureInfo.InvariantCulture)).ToString());
        Assert.Equal("0.000000000000000001", new TokenAmount(BigInteger.One).ToString());
        var random = new Random(42);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = new byte[random.Next(1, 32)];
            random.NextBytes(bytes);
            var amount = new TokenAmount(new BigInteger(bytes, isUnsigned: true));
            Assert.Equal(amount, TokenAmount.Parse(amount.ToString()));
        }
    }
}
