using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Tests.Money;
using static DepinMarket.Domain.Tests.Rentals.TestRentals;

namespace DepinMarket.Domain.Tests.Rentals;

public sealed class RentalPricingTests
{
    private const int Cases = 2000;

    [Fact]
    public void Compute_is_billed_per_second_of_the_price_per_GPU_hour_rounded_down()
    {
        var price = TokenAmount.Parse("2.5");
        Assert.Equal(TokenAmount.Zero, RentalPricing.Compute(price, 8, 0));
        // 2.5e18 × 8 × 1 ÷ 3600 = 5555555555555555.5…
        Assert.Equal(Units(5555555555555555), RentalPricing.Compute(price, 8, 1));
        // Seven seconds at once, rounded once: 38888888888888888.8…, not 7 × 5555555555555555.
        Assert.Equal(Units(38888888888888888), RentalPricing.Compute(price, 8, 7));
        Assert.Equal(TokenAmount.Parse("20"), RentalPricing.Compute(price, 8, 3600));
        Assert.Equal(TokenAmount.Zero, RentalPricing.Compute(Units(1), 1, 3599));
        Assert.Equal(Units(1), RentalPricing.Compute(Units(1), 1, 3600));
        Assert.Equal(Units(1), RentalPricing.Compute(Units(1), 3600, 1));
        Assert.Equal(TokenAmount.MaxValue, RentalPricing.Compute(TokenAmount.MaxValue, 1, 3600));
        Assert.Throws<OverflowException>(() => RentalPricing.Compute(TokenAmount.MaxValue, 1, 3601));
    }

    [Fact]
    public void Storage_is_billed_per_whole_GB_hour_of_the_price_per_GB_month_of_720_hours()
    {
        var price = TokenAmount.Parse("0.02");
        Assert.Equal(TokenAmount.Zero, RentalPricing.Storage(price, 1000, 3599));
        // 2e16 × 1000 × 1 ÷ 720 = 27777777777777777.7…
        Assert.Equal(Units(27777777777777777), RentalPricing.Storage(price, 1000, 3600));
        Assert.Equal(Units(27777777777777777), RentalPricing.Storage(price, 1000, 7199));
        Assert.Equal(Units(55555555555555555), RentalPricing.Storage(price, 1000, 7200));
        Assert.Equal(TokenAmount.Parse("20"), RentalPricing.Storage(price, 1000, 720 * 3600));
        Assert.Equal(TokenAmount.Zero, RentalPricing.Storage(Units(719), 1, 3600));
        Assert.Equal(Units(1), RentalPricing.Storage(Units(720), 1, 3600));
        Assert.Equal(1000, RentalPricing.GigabyteHours(1000, 7199));
        Assert.Equal(0, RentalPricing.GigabyteHours(1000, 3599));
    }

    [Fact]
    public void Model_usage_is_priced_per_million_tokens_and_rounded_down_once_per_report()
    {
        Assert.Equal(Units(500_000_000_000), RentalPricing.Model(TokenAmount.Parse("0.5"), TokenAmount.Parse("1.5"), 1, 0));
        Assert.Equal(TokenAmount.Parse("2"), RentalPricing.Model(TokenAmount.Parse("0.5"), TokenAmount.Parse("1.5"), 1_000_000, 1_000_000));
        // 3 + 999,999 millionths make one base unit; rounding input and output apart would give zero.
        Assert.Equal(Units(1), RentalPricing.Model(Units(3), Units(999_999), 1, 1));
        Assert.Equal(TokenAmount.Zero, RentalPricing.Model(Units(999_999), Units(0), 1, 1_000_000));
        Assert.Equal(Units(1), RentalPricing.Model(Units(1), Units(1), 500_000, 500_000));
        Assert.Equal(TokenAmount.Zero, RentalPricing.Model(Units(1), Units(1), 499_999, 500_000));
    }

    [Fact]
    public void Every_price_formula_is_the_exact_product_rounded_down_over_the_whole_range()
    {
        var random = new RandomTokens(80);
        foreach (var price in random.Amounts(Cases))
        {
            var quantity = random.Coin() ? random.Next(1, 9) : random.Next(1, int.MaxValue);
            var seconds = random.Next(0, 4) switch { 0 => random.Next(0, 3601), 1 => random.Next(0, 30 * 24 * 3600), _ => random.Next(0, int.MaxValue) };
            var compute = price.BaseUnits * quantity * seconds / 3600;
            if (compute <= RandomTokens.Max)
            {
                Assert.Equal(compute, RentalPricing.Compute(price, quantity, seconds).BaseUnits);
            }
            else
            {
                Assert.Throws<OverflowException>(() => RentalPricing.Compute(price, quantity, seconds));
            }
            var storage = price.BaseUnits * quantity * (seconds / 3600) / 720;
            if (storage <= RandomTokens.Max)
            {
                Assert.Equal(storage, RentalPricing.Storage(price, quantity, seconds).BaseUnits);
            }

            var output = new TokenAmount(random.BaseUnitsUpTo(RandomTokens.Max / 2));
            var input = new TokenAmount(price.BaseUnits / 2);
            long inputTokens = random.Next(0, 1_000_001), outputTokens = random.Next(0, 1_000_001);
            Assert.Equal((input.BaseUnits * inputTokens + output.BaseUnits * outputTokens) / 1_000_000,
                RentalPricing.Model(input, output, inputTokens, outputTokens).BaseUnits);
        }
    }

    [Fact]
    public void The_escrow_of_a_term_is_the_usage_of_the_whole_term_and_its_fee_is_the_client_fee_on_it()
    {
        var random = new RandomTokens(81);
        for (var i = 0; i < Cases; i++)
        {
            var kind = random.Coin() ? RentalKind.Compute : RentalKind.Storage;
            long quantity = random.Next(1, 100_000);
            long term = random.Next(0, 3) == 0 ? random.Next(1, 7200) : random.Next(1, int.MaxValue);
            var price = new TokenAmount(BigInteger.One + random.BaseUnitsUpTo(BigInteger.Pow(2, 200)));
            var fees = new FeeSchedule(random.Next(0, 10_001), 25, 1000, 2000);
            var usage = kind == RentalKind.Compute ? RentalPricing.Compute(price, quantity, term) : RentalPricing.Storage(price, quantity, term);
            if (usage.IsZero)
            {
                var error = Assert.Throws<ValidationFailedException>(() =>
                    Rental.ForTerm(Guid.NewGuid(), kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), quantity, term, price, fees, Now, AcceptWithin));
                Assert.Equal(["quantity"], error.Errors.Keys);
                continue;
            }
            var rental = Rental.ForTerm(Guid.NewGuid(), kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), quantity, term, price, fees, Now, AcceptWithin);
            Assert.Equal(usage, rental.Escrowed);
            Assert.Equal(usage, rental.UsageFor(term));
            Assert.Equal(usage.BaseUnits * fees.ClientReservationBps / 10_000, rental.EscrowedFee.BaseUnits);
            Assert.Equal(usage, rental.UsageLeft);
        }
    }

    [Fact]
    public void One_hour_of_eight_H100s_at_2_5_escrows_20_tokens_and_a_fee_of_0_05()
    {
        var rental = Compute(gpus: 8, termSeconds: 3600, pricePerGpuHour: "2.5");
        Assert.Equal(TokenAmount.Parse("20"), rental.Escrowed);
        Assert.Equal(TokenAmount.Parse("0.05"), rental.EscrowedFee);
        var storage = Storage(gigabytes: 1000, termSeconds: 30 * 24 * 3600, pricePerGbMonth: "0.02");
        Assert.Equal(TokenAmount.Parse("20"), storage.Escrowed);
        var model = Model(budget: "10");
        Assert.Equal(TokenAmount.Parse("10"), model.Escrowed);
        Assert.Equal(TokenAmount.Parse("0.025"), model.EscrowedFee);
    }

    [Fact]
    public void A_rental_whose_price_rounds_to_nothing_is_refused_as_buying_nothing()
    {
        var compute = Assert.Throws<ValidationFailedException>(() => Compute(gpus: 1, termSeconds: 3599, pricePerGpuHour: "0.000000000000000001"));
        Assert.Contains("buys nothing", Assert.Single(compute.Errors["quantity"]), StringComparison.Ordinal);
        // 719 GB-hours at one base unit per GB-month: 719/720 of a base unit.
        Assert.Throws<ValidationFailedException>(() => Storage(gigabytes: 1, termSeconds: 719 * 3600, pricePerGbMonth: "0.000000000000000001"));
        Assert.Equal(TokenAmount.Parse("0.000000000000000001"), Storage(gigabytes: 1, termSeconds: 720 * 3600, pricePerGbMonth: "0.000000000000000001").Escrowed);
        var model = Assert.Throws<ValidationFailedException>(() => Model(budget: "0"));
        Assert.Contains("buys nothing", Assert.Single(model.Errors["budget"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RentalKind.Model, 1, 3600)]
    [InlineData(RentalKind.Compute, 0, 3600)]
    [InlineData(RentalKind.Storage, -1, 3600)]
    [InlineData(RentalKind.Compute, 1, 0)]
    [InlineData(RentalKind.Storage, 1, -3600)]
    public void A_time_billed_rental_needs_a_time_billed_kind_a_quantity_and_a_term(RentalKind kind, long quantity, long term) =>
        Assert.Throws<ArgumentException>(() => Rental.ForTerm(Guid.NewGuid(), kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), quantity, term,
            TokenAmount.Parse("1"), Fees, Now, AcceptWithin));

    [Fact]
    public void Compute_metering_charges_whole_seconds_since_the_start_and_keeps_the_fraction_for_the_next_charge()
    {
        var rental = Compute(gpus: 8, termSeconds: 3600, pricePerGpuHour: "2.5");
        rental.Accept("{}", Now);
        var first = rental.MeterTo(Now.AddMilliseconds(1500));
        Assert.Equal(RentalPricing.Compute(rental.UnitPrice, 8, 1), first.Usage);
        Assert.Equal(8, rental.MeteredQuantity(Now, Now.AddMilliseconds(1500)));
        // 2.9 s: the second second is now whole, and the rounding of one charge of two seconds holds.
        var second = rental.MeterTo(Now.AddMilliseconds(2900));
        Assert.Equal(RentalPricing.Compute(rental.UnitPrice, 8, 2), first.Usage + second.Usage);
        Assert.Equal(Now.AddMilliseconds(2900), rental.MeteredUntil);
        Assert.True(rental.MeterTo(Now.AddMilliseconds(2999)).IsZero);
        Assert.Equal(8, rental.MeteredQuantity(Now.AddMilliseconds(1500), Now.AddMilliseconds(2999)));
    }

    [Fact]
    public void Storage_metering_charges_nothing_until_an_hour_is_whole()
    {
        var rental = Storage(gigabytes: 1000, termSeconds: 30 * 24 * 3600, pricePerGbMonth: "0.02");
        rental.Accept("{}", Now);
        Assert.True(rental.MeterTo(Now.AddMinutes(59)).IsZero);
        Assert.Equal(0, rental.MeteredQuantity(Now, Now.AddMinutes(59)));
        Assert.Equal(Units(27777777777777777), rental.MeterTo(Now.AddMinutes(60)).Usage);
        Assert.Equal(1000, rental.MeteredQuantity(Now, Now.AddMinutes(60)));
        Assert.True(rental.MeterTo(Now.AddMinutes(119)).IsZero);
        Assert.Equal(Units(55555555555555555 - 27777777777777777), rental.MeterTo(Now.AddMinutes(120)).Usage);
    }

    [Fact]
    public void Metering_never_charges_past_the_end_of_the_term_nor_twice_for_the_same_time()
    {
        var rental = Compute(gpus: 8, termSeconds: 3600, pricePerGpuHour: "2.5");
        rental.Accept("{}", Now);
        rental.MeterTo(Now.AddMinutes(30));
        Assert.True(rental.MeterTo(Now.AddMinutes(30)).IsZero);
        Assert.True(rental.MeterTo(Now.AddMinutes(10)).IsZero);
        rental.MeterTo(Now.AddDays(3));
        Assert.Equal(rental.EndsAt, rental.MeteredUntil);
        Assert.Equal(rental.Escrowed, rental.Charged);
        Assert.Equal(rental.EscrowedFee, rental.ChargedClientFee);
        Assert.True(rental.MeterTo(Now.AddDays(4)).IsZero);
        Assert.True(rental.UsageLeft.IsZero);
    }

    [Fact]
    public void Extending_a_term_escrows_the_usage_of_the_longer_term_less_what_was_escrowed()
    {
        var rental = Compute(gpus: 3, termSeconds: 1000, pricePerGpuHour: "0.000000000000000007");
        var before = (rental.Escrowed, rental.EscrowedFee);
        var (usage, fee) = rental.ExtendTerm(1);
        // 7 × 3 × 1000 ÷ 3600 = 5 (5.83), then 7 × 3 × 1001 ÷ 3600 = 5 (5.839…): a second that costs nothing yet.
        Assert.Equal((Units(5), TokenAmount.Zero), before);
        Assert.Equal((TokenAmount.Zero, TokenAmount.Zero), (usage, fee));
        (usage, _) = rental.ExtendTerm(7999);
        Assert.Equal(Units(7 * 3 * 9000 / 3600 - 5), usage);
        Assert.Equal(RentalPricing.Compute(rental.UnitPrice, 3, 9000), rental.Escrowed);
        Assert.Equal(9000, rental.TermSeconds);
    }

    [Fact]
    public void Extending_a_budget_adds_it_and_the_fee_on_the_new_total()
    {
        var rental = Model(budget: "0.000000000000000399");
        Assert.Equal(TokenAmount.Zero, rental.EscrowedFee);
        // 0.25% of 399 rounds to 0, of 400 to 1: the fee is taken on the total, so it never drifts from one escrow of the whole.
        var (usage, fee) = rental.ExtendBudget(Units(1));
        Assert.Equal((Units(1), Units(1)), (usage, fee));
        Assert.Equal(Units(400), rental.Escrowed);
        Assert.Equal(Units(1), rental.EscrowedFee);
    }

    [Fact]
    public void A_rental_or_budget_priced_beyond_the_token_range_is_refused_naming_the_field()
    {
        var term = Assert.Throws<ValidationFailedException>(() => Rental.ForTerm(Guid.NewGuid(), RentalKind.Storage, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            1_000_000, 86400 * 3650L, TokenAmount.MaxValue, Fees, Now, AcceptWithin));
        Assert.True(term.Errors.ContainsKey("days"));
        // The budget itself fits, but not with the client's fee on top: escrow could not hold both.
        var budget = Assert.Throws<ValidationFailedException>(() => Rental.ForBudget(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            Units(1), Units(1), TokenAmount.MaxValue, Fees, Now, AcceptWithin));
        Assert.True(budget.Errors.ContainsKey("budget"));
    }

    [Fact]
    public void A_refused_extension_leaves_the_term_and_the_escrow_as_they_were()
    {
        // One GPU-hour at half the token's range: two hours more would escrow 1.5 times what an amount holds.
        var rental = Rental.ForTerm(Guid.NewGuid(), RentalKind.Compute, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, 3600,
            Units(TokenAmount.MaxValue.BaseUnits / 2), Fees, Now, AcceptWithin);
        rental.Accept("{}", Now);
        object State() => (rental.TermSeconds, rental.EndsAt, rental.Escrowed, rental.EscrowedFee);
        var before = State();
        // Too much escrow is the client asking too much: a validation error naming "hours", not an overflow.
        var tooMuch = Assert.Throws<ValidationFailedException>(() => rental.ExtendTerm(7200));
        Assert.True(tooMuch.Errors.ContainsKey("hours"));
        Assert.Equal(before, State());
        // Past the calendar's end (year 9999), and past what a long counts.
        Assert.Throws<ArgumentOutOfRangeException>(() => rental.ExtendTerm(1_000_000_000_000));
        Assert.Equal(before, State());
        Assert.Throws<OverflowException>(() => rental.ExtendTerm(long.MaxValue));
        Assert.Equal(before, State());
    }

    [Fact]
    public void A_term_that_would_end_past_the_calendar_is_refused_on_acceptance_and_the_rental_stays_pending()
    {
        var rental = Compute(gpus: 1, termSeconds: 1_000_000_000_000, pricePerGpuHour: "1");
        Assert.Throws<ArgumentOutOfRangeException>(() => rental.Accept("{}", Now));
        Assert.Equal(RentalStatus.Pending, rental.Status);
        Assert.Null(rental.StartedAt);
        Assert.Null(rental.Access);
        rental.Cancel(Now);
        AssertConserved(rental, "cancelled");
    }
}
