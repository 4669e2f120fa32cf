using System.Globalization;
using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Tests.Money;

public sealed class TokenAmountTests
{
    private const int Cases = 2000;

    [Theory]
    [InlineData("2.5", "2500000000000000000")]
    [InlineData("0.000000000000000001", "1")]
    [InlineData("1", "1000000000000000000")]
    [InlineData("007.10", "7100000000000000000")]
    [InlineData("0", "0")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457.584007913129639935", "115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Parses_whole_token_strings_into_exact_base_units(string text, string baseUnits)
    {
        Assert.True(TokenAmount.TryParse(text, out var amount, out _));
        Assert.Equal(BigInteger.Parse(baseUnits, CultureInfo.InvariantCulture), amount.BaseUnits);
    }

    [Theory]
    [InlineData("1.0000000000000000001", "19 decimals")]
    [InlineData("-1", "negative")]
    [InlineData("-1.5", "negative")]
    [InlineData("1e18", "decimal string")]
    [InlineData("1,5", "decimal string")]
    [InlineData(" 1", "decimal string")]
    [InlineData("+1", "decimal string")]
    [InlineData(".5", "decimal string")]
    [InlineData("5.", "decimal string")]
    [InlineData("1.-5", "decimal string")]
    [InlineData("", "empty")]
    [InlineData("115792089237316195423570985008687907853269984665640564039458", "largest amount")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457.584007913129639936", "largest amount")]
    public void Refuses_what_is_not_an_exact_non_negative_amount_and_says_why(string text, string reason)
    {
        Assert.False(TokenAmount.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Contains(reason, Assert.Throws<FormatException>(() => TokenAmount.Parse(text)).Message);
    }

    [Fact]
    public void The_constructor_takes_exactly_zero_to_uint256_max()
    {
        Assert.Equal(BigInteger.Zero, new TokenAmount(BigInteger.Zero).BaseUnits);
        Assert.Equal(RandomTokens.Max, new TokenAmount(RandomTokens.Max).BaseUnits);
        Assert.Equal(RandomTokens.Max, TokenAmount.MaxValue.BaseUnits);
        Assert.Equal(BigInteger.Pow(2, 256) - 1, TokenAmount.MaxBaseUnits);
        Assert.Contains("between 0 and 2^256-1", Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(BigInteger.MinusOne)).Message);
        Assert.Contains("between 0 and 2^256-1", Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(BigInteger.Pow(2, 256))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.FromWholeTokens(-1));
        Assert.False(TokenAmount.TryFromBaseUnits(BigInteger.MinusOne, out _));
        Assert.False(TokenAmount.TryFromBaseUnits(BigInteger.Pow(2, 256), out _));
        Assert.True(TokenAmount.TryFromBaseUnits(RandomTokens.Max, out var max) && max == TokenAmount.MaxValue);
        Assert.Equal(TokenAmount.Zero, default);
    }

    [Fact]
    public void Formats_whole_tokens_without_trailing_zeros()
    {
        Assert.Equal("2.5", new TokenAmount(BigInteger.Parse("2500000000000000000", CultureInfo.InvariantCulture)).ToString());
        Assert.Equal("0.000000000000000001", new TokenAmount(BigInteger.One).ToString());
        Assert.Equal("0.999999999999999999", new TokenAmount(RandomTokens.OneToken - 1).ToString());
        Assert.Equal("0", TokenAmount.Zero.ToString());
        Assert.Equal("10000", TokenAmount.FromWholeTokens(10_000).ToString());
        Assert.Equal("115792089237316195423570985008687907853269984665640564039457.584007913129639935", TokenAmount.MaxValue.ToString());
    }

    [Fact]
    public void Text_round_trips_across_the_whole_range()
    {
        foreach (var amount in new RandomTokens(1).Amounts(Cases))
        {
            var text = amount.ToString();
            Assert.Matches("^[0-9]+(\\.[0-9]{0,17}[1-9])?$", text);
            Assert.Equal(amount, TokenAmount.Parse(text));
        }
    }

    [Fact]
    public void Sum_then_difference_gives_back_the_first_amount_where_the_sum_is_in_range()
    {
        var random = new RandomTokens(2);
        foreach (var a in random.Amounts(Cases))
        {
            var b = new TokenAmount(random.BaseUnitsUpTo(RandomTokens.Max - a.BaseUnits));
            Assert.Equal(a, a + b - b);
            Assert.Equal(b, a + b - a);
            Assert.Equal(a + b, b + a);
            Assert.True(a + b >= a);
        }
    }

    [Fact]
    public void Addition_past_uint256_max_throws_and_names_the_limit()
    {
        var error = Assert.Throws<OverflowException>(() => TokenAmount.MaxValue + new TokenAmount(BigInteger.One));
        Assert.Contains("addition", error.Message);
        Assert.Contains("2^256-1", error.Message);
        var random = new RandomTokens(3);
        for (var i = 0; i < Cases; i++)
        {
            var a = new TokenAmount(random.BaseUnits());
            var b = new TokenAmount(random.BaseUnits());
            if (a.BaseUnits + b.BaseUnits > RandomTokens.Max)
            {
                Assert.Throws<OverflowException>(() => a + b);
            }
            else
            {
                Assert.Equal(a.BaseUnits + b.BaseUnits, (a + b).BaseUnits);
            }
        }
    }

    [Fact]
    public void Subtraction_below_zero_throws_instead_of_going_negative()
    {
        var error = Assert.Throws<OverflowException>(() => TokenAmount.Zero - new TokenAmount(BigInteger.One));
        Assert.Contains("subtraction", error.Message);
        Assert.Contains("below zero", error.Message);
        var random = new RandomTokens(4);
        foreach (var a in random.Amounts(Cases))
        {
            if (a.BaseUnits < RandomTokens.Max)
            {
                var more = new TokenAmount(a.BaseUnits + BigInteger.One + random.BaseUnitsUpTo(RandomTokens.Max - a.BaseUnits - 1));
                Assert.Throws<OverflowException>(() => a - more);
            }
            Assert.Equal(TokenAmount.Zero, a - a);
        }
    }

    [Fact]
    public void Multiplication_is_exact_and_checked()
    {
        Assert.Equal(TokenAmount.Parse("7.5"), TokenAmount.Parse("2.5") * 3);
        Assert.Equal(TokenAmount.Parse("7.5"), 3 * TokenAmount.Parse("2.5"));
        Assert.Equal(TokenAmount.Zero, TokenAmount.MaxValue * 0);
        Assert.Equal(TokenAmount.MaxValue, TokenAmount.MaxValue * 1);
        var error = Assert.Throws<OverflowException>(() => TokenAmount.MaxValue * 2);
        Assert.Contains("multiplication", error.Message);
        Assert.Contains("2^256-1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.Zero * -1);
        var random = new RandomTokens(5);
        for (var i = 0; i < Cases; i++)
        {
            var a = new TokenAmount(random.BaseUnits());
            BigInteger factor = random.Next(0, int.MaxValue);
            if (a.BaseUnits * factor > RandomTokens.Max)
            {
                Assert.Throws<OverflowException>(() => a * factor);
            }
            else
            {
                Assert.Equal(a.BaseUnits * factor, (a * factor).BaseUnits);
            }
        }
    }

    [Fact]
    public void Applying_a_delta_is_checked_both_ways()
    {
        var balance = TokenAmount.Parse("10");
        Assert.Equal(TokenAmount.Parse("7.5"), balance + TokenDelta.Debit(TokenAmount.Parse("2.5")));
        Assert.Equal(TokenAmount.Parse("12.5"), balance + TokenDelta.Credit(TokenAmount.Parse("2.5")));
        Assert.Contains("below zero", Assert.Throws<OverflowException>(() => balance + TokenDelta.Parse("-10.000000000000000001")).Message);
        Assert.Contains("2^256-1", Assert.Throws<OverflowException>(() => TokenAmount.MaxValue + TokenDelta.Parse("0.000000000000000001")).Message);
    }

    [Fact]
    public void Sum_is_exact_and_only_the_total_must_be_in_range()
    {
        var random = new RandomTokens(6);
        var amounts = Enumerable.Range(0, 50).Select(_ => new TokenAmount(random.BaseUnits() >> 8)).ToList();
        Assert.Equal(amounts.Aggregate(BigInteger.Zero, (s, a) => s + a.BaseUnits), TokenAmount.Sum(amounts).BaseUnits);
        Assert.Equal(TokenAmount.Zero, TokenAmount.Sum([]));
        Assert.Throws<OverflowException>(() => TokenAmount.Sum([TokenAmount.MaxValue, new TokenAmount(BigInteger.One)]));
    }

    [Fact]
    public void Comparison_follows_base_units()
    {
        var random = new RandomTokens(7);
        for (var i = 0; i < Cases; i++)
        {
            var a = new TokenAmount(random.BaseUnits());
            var b = new TokenAmount(random.BaseUnits());
            Assert.Equal(a.BaseUnits.CompareTo(b.BaseUnits), a.CompareTo(b));
            Assert.Equal(a.BaseUnits < b.BaseUnits, a < b);
            Assert.Equal(a.BaseUnits == b.BaseUnits, a == b);
        }
    }
}
