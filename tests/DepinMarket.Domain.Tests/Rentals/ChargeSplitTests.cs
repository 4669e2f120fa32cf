using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Tests.Money;
using static DepinMarket.Domain.Tests.Rentals.TestRentals;

namespace DepinMarket.Domain.Tests.Rentals;

public sealed class ChargeSplitTests
{
    private const int Cases = 2000;

    [Fact]
    public void A_charge_of_1000_tokens_pays_the_provider_897_5_and_burns_a_fifth_of_the_fees()
    {
        var split = ChargeSplit.Cumulative(Fees, TokenAmount.Parse("1000"));
        Assert.Equal(TokenAmount.Parse("1000"), split.Usage);
        Assert.Equal(TokenAmount.Parse("2.5"), split.ClientFee);
        Assert.Equal(TokenAmount.Parse("100"), split.PlatformFee);
        Assert.Equal(TokenAmount.Parse("2.5"), split.ProviderFee);
        Assert.Equal(TokenAmount.Parse("21"), split.Burn);
        Assert.Equal(TokenAmount.Parse("1002.5"), split.FromEscrow);
        Assert.Equal(TokenAmount.Parse("897.5"), split.ProviderEarnings);
        Assert.Equal(TokenAmount.Parse("84"), split.ToFees);
        AssertBalanced(split, "1000 tokens");
    }

    [Fact]
    public void A_charge_from_a_usage_to_itself_is_zero_and_a_usage_that_shrinks_is_refused()
    {
        var same = ChargeSplit.Between(Fees, TokenAmount.Parse("5"), TokenAmount.Parse("5"));
        Assert.True(same.IsZero);
        Assert.Equal(new ChargeSplit(TokenAmount.Zero, TokenAmount.Zero, TokenAmount.Zero, TokenAmount.Zero, TokenAmount.Zero), same);
        Assert.Throws<ArgumentException>(() => ChargeSplit.Between(Fees, TokenAmount.Parse("5"), TokenAmount.Parse("4.999999999999999999")));
    }

    [Fact]
    public void A_one_base_unit_step_on_which_both_provider_fees_round_up_leaves_the_provider_nothing_rather_than_less()
    {
        // 10% of 400 is 40 (of 399: 39) and 0.25% of 400 is 1 (of 399: 0): rounded apart, the step 399 → 400 takes
        // two base units of fees from one base unit of usage.
        var split = ChargeSplit.Between(Fees, Units(399), Units(400));
        AssertBalanced(split, "399 → 400");
        Assert.Equal(Units(1), split.Usage);
        Assert.Equal(TokenAmount.Zero, split.ProviderEarnings);
    }

    [Fact]
    public void Walking_usage_up_one_base_unit_at_a_time_never_takes_more_fees_than_usage()
    {
        // Fee schedules whose provider-side fees sit near their limit, where rounding steps are most frequent.
        FeeSchedule[] schedules =
        [
            Fees, new(0, 4999, 5000, 0), new(10_000, 5000, 4999, 10_000), new(1, 1, 1, 1), new(0, 9999, 0, 5000), new(0, 0, 9999, 5000),
            new(9999, 3333, 3333, 9999), new(25, 25, 250, 2000),
        ];
        foreach (var fees in schedules)
        {
            var totals = new SplitTotals();
            for (var usage = 0; usage < 30_000; usage++)
            {
                var split = ChargeSplit.Between(fees, Units(usage), Units(usage + 1));
                AssertBalanced(split, $"{fees}: {usage} → {usage + 1}");
                totals.Add(split);
            }
            totals.AssertEqual(ChargeSplit.Cumulative(fees, Units(30_000)), $"{fees}");
        }
    }

    [Fact]
    public void Charges_over_any_cut_of_the_usage_add_up_to_one_charge_of_the_whole_and_each_is_balanced()
    {
        var random = new RandomTokens(82);
        for (var i = 0; i < Cases; i++)
        {
            var fees = RandomFees.Next(random);
            var total = random.BaseUnitsUpTo(random.Next(0, 3) == 0 ? 100_000 : RandomTokens.Max / 2);
            var cuts = Enumerable.Range(0, random.Next(0, 12)).Select(_ => random.BaseUnitsUpTo(total)).Append(total).Order().ToArray();
            var totals = new SplitTotals();
            var before = TokenAmount.Zero;
            foreach (var cut in cuts)
            {
                var split = ChargeSplit.Between(fees, before, Units(cut));
                AssertBalanced(split, $"{fees}: {before.BaseUnits} → {cut}");
                totals.Add(split);
                before = Units(cut);
            }
            totals.AssertEqual(ChargeSplit.Cumulative(fees, Units(total)), $"{fees}: cuts {string.Join(",", cuts)}");
        }
    }

    [Fact]
    public void Each_part_of_a_whole_charge_is_its_rate_rounded_down_and_the_provider_fees_are_rounded_once_together()
    {
        var random = new RandomTokens(83);
        for (var i = 0; i < Cases; i++)
        {
            var fees = RandomFees.Next(random);
            // Usage and its fees must fit one amount, as they do in any escrow (half the range leaves room for 100%).
            var usage = random.BaseUnitsUpTo(RandomTokens.Max / 2);
            var split = ChargeSplit.Cumulative(fees, Units(usage));
            var providerSideBps = fees.PlatformBps + fees.ProviderReservationBps;
            var context = $"{fees} on {usage}";
            Assert.Equal(usage * fees.ClientReservationBps / 10_000, split.ClientFee.BaseUnits);
            // The provider keeps the usage less its two fees rounded down once: never less, and monotone in the usage.
            var providerSide = usage * providerSideBps / 10_000;
            Assert.True(providerSide == split.PlatformFee.BaseUnits + split.ProviderFee.BaseUnits, context);
            Assert.Equal(usage - providerSide, split.ProviderEarnings.BaseUnits);
            // Each fee is within a base unit or two of its exact rate, the platform's never above it.
            Assert.True(split.PlatformFee.BaseUnits * 10_000 <= usage * fees.PlatformBps, context);
            Assert.True((split.PlatformFee.BaseUnits + 2) * 10_000 > usage * fees.PlatformBps, context);
            Assert.True(BigInteger.Abs(split.ProviderFee.BaseUnits * 10_000 - usage * fees.ProviderReservationBps) < 10_000, context);
            var allFees = split.ClientFee.BaseUnits + providerSide;
            Assert.Equal(allFees * fees.BurnShareBps / 10_000, split.Burn.BaseUnits);
            AssertBalanced(split, context);
        }
    }
}

/// <summary>Valid fee schedules over the whole range, the edges (0, 1, the limits) common.</summary>
internal static class RandomFees
{
    public static FeeSchedule Next(RandomTokens random)
    {
        int Bps(int max) => random.Next(0, 5) switch
        {
            0 => 0,
            1 => max,
            2 => Math.Min(1, max),
            3 => random.Next(0, Math.Min(300, max) + 1),
            _ => random.Next(0, max + 1),
        };
        var providerSide = Bps(FeeSchedule.MaxBps - 1);
        var platform = random.Next(0, 3) switch { 0 => 0, 1 => providerSide, _ => random.Next(0, providerSide + 1) };
        var fees = new FeeSchedule(Bps(FeeSchedule.MaxBps), providerSide - platform, platform, Bps(FeeSchedule.MaxBps));
        Assert.True(fees.IsValid, $"{fees}");
        return fees;
    }
}
