using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Tests.Money;
using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Tests.Trust;

public sealed class SlashSplitTests
{
    [Fact]
    public void The_client_gets_its_share_rounded_down_and_the_burn_the_rest()
    {
        Assert.Equal(new SlashSplit(TokenAmount.Parse("7.5"), TokenAmount.Parse("2.5"), TokenAmount.Zero), SlashSplit.Of(TokenAmount.Parse("10"), 7500));
        // 7 base units half and half: 3.5 → 3 to the client, 4 burned.
        Assert.Equal(new SlashSplit(new TokenAmount(3), new TokenAmount(4), TokenAmount.Zero), SlashSplit.Of(new TokenAmount(7), 5000));
    }

    [Fact]
    public void A_share_of_nothing_burns_everything_and_a_full_share_burns_nothing()
    {
        var ten = TokenAmount.Parse("10");
        Assert.Equal(new SlashSplit(TokenAmount.Zero, ten, TokenAmount.Zero), SlashSplit.Of(ten, 0));
        Assert.Equal(new SlashSplit(ten, TokenAmount.Zero, TokenAmount.Zero), SlashSplit.Of(ten, 10_000));
    }

    [Fact]
    public void The_parts_always_sum_exactly_to_the_slash_and_the_clients_part_is_its_exact_share_rounded_down()
    {
        var random = new RandomTokens(53);
        foreach (var amount in random.Amounts(2000))
        {
            var share = random.Next(0, 10_001);
            var split = SlashSplit.Of(amount, share);
            Assert.Equal(amount, split.Taken);
            Assert.True(split.Shortfall.IsZero);
            var exact = amount.BaseUnits * share;
            Assert.InRange(exact - split.ToClient.BaseUnits * TokenAmount.BasisPointsPerWhole, 0, TokenAmount.BasisPointsPerWhole - 1);
        }
    }

    [Fact]
    public void A_stake_smaller_than_the_slash_is_taken_whole_in_the_same_proportions_and_the_rest_is_a_shortfall()
    {
        var split = SlashSplit.Capped(TokenAmount.Parse("10"), stake: TokenAmount.Parse("4"), clientShareBps: 7500);
        Assert.Equal(new SlashSplit(TokenAmount.Parse("3"), TokenAmount.Parse("1"), TokenAmount.Parse("6")), split);
        Assert.Equal(TokenAmount.Parse("4"), split.Taken);
    }

    [Fact]
    public void A_stake_that_covers_the_slash_splits_it_as_if_uncapped()
    {
        Assert.Equal(SlashSplit.Of(TokenAmount.Parse("10"), 7500), SlashSplit.Capped(TokenAmount.Parse("10"), TokenAmount.Parse("10"), 7500));
        Assert.Equal(SlashSplit.Of(TokenAmount.Parse("10"), 7500), SlashSplit.Capped(TokenAmount.Parse("10"), TokenAmount.Parse("1000"), 7500));
    }

    [Fact]
    public void A_capped_slash_takes_the_lesser_of_slash_and_stake_and_reports_the_rest_as_shortfall()
    {
        var random = new RandomTokens(59);
        foreach (var amount in random.Amounts(1000))
        {
            var stake = random.Coin() ? random.BaseUnitsUpTo(amount.BaseUnits) : random.BaseUnits();
            var split = SlashSplit.Capped(amount, new TokenAmount(stake), random.Next(0, 10_001));
            Assert.Equal(BigInteger.Min(amount.BaseUnits, stake), split.Taken.BaseUnits);
            Assert.Equal(amount, split.Taken + split.Shortfall);
        }
    }

    [Fact]
    public void A_client_share_outside_0_to_10000_basis_points_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SlashSplit.Of(TokenAmount.Parse("10"), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlashSplit.Of(TokenAmount.Parse("10"), 10_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlashSplit.Capped(TokenAmount.Parse("10"), TokenAmount.Parse("1"), 10_001));
    }
}
