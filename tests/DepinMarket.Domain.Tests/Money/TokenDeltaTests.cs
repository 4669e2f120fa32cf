using System.Globalization;
using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Tests.Money;

public sealed class TokenDeltaTests
{
    private const int Cases = 2000;

    [Theory]
    [InlineData("-1.5", "-1500000000000000000")]
    [InlineData("1.5", "1500000000000000000")]
    [InlineData("-0.000000000000000001", "-1")]
    [InlineData("-0", "0")]
    [InlineData("0", "0")]
    [InlineData("-115792089237316195423570985008687907853269984665640564039457.584007913129639935", "-115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Parses_signed_whole_token_strings(string text, string baseUnits)
    {
        Assert.True(TokenDelta.TryParse(text, out var delta, out var error), error);
        Assert.Equal(BigInteger.Parse(baseUnits, CultureInfo.InvariantCulture), delta.BaseUnits);
    }

    [Theory]
    [InlineData("--1", "decimal string")]
    [InlineData("-", "decimal string")]
    [InlineData("+1", "decimal string")]
    [InlineData("- 1", "decimal string")]
    [InlineData("1-", "decimal string")]
    [InlineData("-1.-5", "decimal string")]
    [InlineData("-1e3", "decimal string")]
    [InlineData("-1.0000000000000000001", "19 decimals")]
    [InlineData("-115792089237316195423570985008687907853269984665640564039458", "largest amount")]
    [InlineData("", "empty")]
    public void Refuses_what_is_not_a_signed_amount_and_says_why(string text, string reason)
    {
        Assert.False(TokenDelta.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Contains(reason, Assert.Throws<FormatException>(() => TokenDelta.Parse(text)).Message);
    }

    [Fact]
    public void The_old_minus_one_dot_minus_five_cannot_recur()
    {
        var minusOneAndAHalf = -RandomTokens.OneToken * 3 / 2;
        // An amount cannot hold it at all, by constructor or by arithmetic...
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(minusOneAndAHalf));
        Assert.Throws<OverflowException>(() => TokenAmount.Parse("1") - TokenAmount.Parse("2.5"));
        // ...and a delta writes the sign once, in front.
        Assert.Equal("-1.5", new TokenDelta(minusOneAndAHalf).ToString());
        Assert.Equal("-0.5", TokenDelta.Debit(TokenAmount.Parse("0.5")).ToString());
        foreach (var delta in new RandomTokens(10).Deltas(Cases).Where(d => d.Sign < 0))
        {
            var text = delta.ToString();
            Assert.Equal(0, text.LastIndexOf('-'));
            Assert.Equal(delta.Magnitude.ToString(), text[1..]);
        }
    }

    [Fact]
    public void Text_round_trips_across_the_whole_signed_range()
    {
        foreach (var delta in new RandomTokens(11).Deltas(Cases))
        {
            var text = delta.ToString();
            Assert.Matches("^-?[0-9]+(\\.[0-9]{0,17}[1-9])?$", text);
            Assert.Equal(delta, TokenDelta.Parse(text));
        }
    }

    [Fact]
    public void The_magnitude_is_bounded_by_uint256()
    {
        Assert.Equal(-RandomTokens.Max, new TokenDelta(-RandomTokens.Max).BaseUnits);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenDelta(RandomTokens.Max + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenDelta(-RandomTokens.Max - 1));
        Assert.Contains("2^256-1", Assert.Throws<OverflowException>(() => TokenDelta.Credit(TokenAmount.MaxValue) + TokenDelta.Parse("0.000000000000000001")).Message);
        Assert.Throws<OverflowException>(() => TokenDelta.Debit(TokenAmount.MaxValue) - TokenDelta.Parse("0.000000000000000001"));
        Assert.Equal(TokenDelta.Credit(TokenAmount.MaxValue), -TokenDelta.Debit(TokenAmount.MaxValue));
    }

    [Fact]
    public void Credit_debit_negation_and_addition_agree()
    {
        var random = new RandomTokens(12);
        foreach (var amount in random.Amounts(Cases))
        {
            var credit = TokenDelta.Credit(amount);
            var debit = TokenDelta.Debit(amount);
            Assert.Equal(credit, -debit);
            Assert.Equal(TokenDelta.Zero, credit + debit);
            Assert.Equal(amount, credit.Magnitude);
            Assert.Equal(amount, debit.Magnitude);
            Assert.Equal(amount.IsZero ? 0 : 1, credit.Sign);
            Assert.Equal(amount.IsZero ? 0 : -1, debit.Sign);
            var other = TokenDelta.Credit(new TokenAmount(random.BaseUnitsUpTo(RandomTokens.Max - amount.BaseUnits)));
            Assert.Equal(credit, credit + other - other);
            Assert.Equal(debit, debit - other + other);
        }
    }

    [Fact]
    public void A_journal_sums_to_zero_whatever_the_order_and_even_when_partial_sums_leave_the_range()
    {
        var max = TokenDelta.Credit(TokenAmount.MaxValue);
        Assert.Equal(TokenDelta.Zero, TokenDelta.Sum([max, max, -max, -max]));
        Assert.Throws<OverflowException>(() => TokenDelta.Sum([max, max, -max, TokenDelta.Parse("0.000000000000000001")]));

        var random = new RandomTokens(13);
        for (var journal = 0; journal < 200; journal++)
        {
            // Random postings and the one that balances them, shuffled.
            var postings = Enumerable.Range(0, random.Next(1, 10)).Select(_ => new TokenDelta((random.Coin() ? 1 : -1) * (random.BaseUnits() >> 8))).ToList();
            postings.Add(-TokenDelta.Sum(postings));
            var shuffled = postings.OrderBy(_ => random.Next(0, int.MaxValue)).ToList();
            Assert.Equal(TokenDelta.Zero, TokenDelta.Sum(shuffled));
        }
    }

    [Fact]
    public void Conversions_to_and_from_amounts_are_explicit_and_refuse_debits()
    {
        foreach (var amount in new RandomTokens(14).Amounts(Cases))
        {
            Assert.Equal(amount, (TokenAmount)(TokenDelta)amount);
        }
        var error = Assert.Throws<OverflowException>(() => (TokenAmount)TokenDelta.Parse("-0.5"));
        Assert.Contains("-0.5", error.Message);
        Assert.Contains("negative", error.Message);
    }
}
