using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Tests.Money;

public sealed class ProportionTests
{
    private const int Cases = 2000;

    [Fact]
    public void MulDiv_rounds_down_and_the_remainder_makes_up_the_exact_product()
    {
        var random = new RandomTokens(20);
        foreach (var amount in random.Amounts(Cases))
        {
            var denominator = BigInteger.One + random.BaseUnitsUpTo(random.Coin() ? 1_000_000 : RandomTokens.Max);
            // Mostly a fraction (a charge for part of a period); sometimes more than the whole, which may overflow.
            var numerator = random.Next(0, 10) == 0 ? random.BaseUnits() : random.BaseUnitsUpTo(denominator);
            if (amount.BaseUnits * numerator / denominator > RandomTokens.Max)
            {
                Assert.Contains("2^256-1", Assert.Throws<OverflowException>(() => amount.MulDiv(numerator, denominator)).Message);
                continue;
            }
            var (quotient, remainder) = amount.MulDiv(numerator, denominator);
            Assert.Equal(amount.BaseUnits * numerator, quotient.BaseUnits * denominator + remainder);
            Assert.InRange(remainder, BigInteger.Zero, denominator - 1);
        }
    }

    [Fact]
    public void A_pro_rata_charge_and_its_refund_sum_back_to_the_deposit()
    {
        // 10 tokens for a 30-day rental stopped after 7 days, 3 hours and 1 second.
        var deposit = TokenAmount.Parse("10");
        BigInteger period = 30 * 24 * 3600;
        BigInteger used = (7 * 24 * 3600) + (3 * 3600) + 1;
        var (charge, remainder) = deposit.MulDiv(used, period);
        var refund = deposit - charge;
        Assert.Equal(deposit, charge + refund);
        Assert.Equal(deposit.BaseUnits * used, charge.BaseUnits * period + remainder);
        // 10e18 × 615601 ÷ 2592000 = 2375003858024691358 rest 64000 (checked with Python's integers).
        Assert.Equal("2.375003858024691358", charge.ToString());
        Assert.Equal(new BigInteger(64000), remainder);
        Assert.Equal("7.624996141975308642", refund.ToString());
    }

    [Fact]
    public void Basis_points_are_ten_thousandths_rounded_down()
    {
        Assert.Equal((TokenAmount.Parse("2.5"), BigInteger.Zero), TokenAmount.Parse("1000").BasisPoints(25));
        Assert.Equal((TokenAmount.Zero, new BigInteger(25)), new TokenAmount(BigInteger.One).BasisPoints(25));
        Assert.Equal((TokenAmount.Parse("1000"), BigInteger.Zero), TokenAmount.Parse("1000").BasisPoints(TokenAmount.BasisPointsPerWhole));
        var (fee, remainder) = new TokenAmount(399).BasisPoints(25);
        Assert.Equal(new TokenAmount(BigInteger.Zero), fee);
        Assert.Equal(new BigInteger(9975), remainder);
    }

    [Fact]
    public void MulDiv_refuses_a_negative_numerator_and_a_denominator_that_is_not_positive()
    {
        var amount = TokenAmount.Parse("1");
        Assert.Throws<ArgumentOutOfRangeException>(() => amount.MulDiv(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => amount.MulDiv(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => amount.MulDiv(1, -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => amount.BasisPoints(-1));
    }

    [Fact]
    public void Split_parts_sum_back_to_the_whole_and_each_is_within_one_base_unit_of_its_share()
    {
        var random = new RandomTokens(21);
        foreach (var amount in random.Amounts(Cases / 4))
        {
            var weights = Enumerable.Range(0, random.Next(1, 12))
                .Select(_ => random.Next(0, 4) == 0 ? BigInteger.Zero : BigInteger.One + random.BaseUnitsUpTo(random.Coin() ? 100 : RandomTokens.Max))
                .ToArray();
            if (weights.All(w => w.IsZero))
            {
                weights[0] = BigInteger.One;
            }
            var total = weights.Aggregate(BigInteger.Zero, (s, w) => s + w);
            var parts = amount.Split(weights);
            Assert.Equal(weights.Length, parts.Length);
            Assert.Equal(amount, TokenAmount.Sum(parts));
            for (var i = 0; i < parts.Length; i++)
            {
                // |part - amount × weight / total| < 1, in units of 1/total.
                Assert.True(BigInteger.Abs(parts[i].BaseUnits * total - amount.BaseUnits * weights[i]) < total, $"part {i} of {amount} by {string.Join(",", weights)}");
                if (weights[i].IsZero)
                {
                    Assert.Equal(TokenAmount.Zero, parts[i]);
                }
            }
        }
    }

    [Fact]
    public void Split_gives_left_over_base_units_to_the_largest_remainders_then_to_earlier_parts()
    {
        var ten = new TokenAmount(10);
        Assert.Equal([new TokenAmount(4), new TokenAmount(3), new TokenAmount(3)], ten.Split(1, 1, 1));
        // Shares 1.6, 3.2, 5.2: floors 1, 3, 5 leave one unit, which goes to the 0.6.
        Assert.Equal([new TokenAmount(2), new TokenAmount(3), new TokenAmount(5)], ten.Split(8, 16, 26));
        Assert.Equal([TokenAmount.Zero, ten], ten.Split(0, 1));
        Assert.Equal([TokenAmount.MaxValue], TokenAmount.MaxValue.Split(7));
    }

    [Fact]
    public void Split_refuses_weights_that_do_not_define_shares()
    {
        var amount = TokenAmount.Parse("1");
        Assert.Throws<ArgumentException>(() => amount.Split());
        Assert.Throws<ArgumentException>(() => amount.Split(0, 0));
        Assert.Throws<ArgumentException>(() => amount.Split(1, -1));
    }
}
