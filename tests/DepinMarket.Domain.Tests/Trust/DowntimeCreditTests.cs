using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Tests.Trust;

public sealed class DowntimeCreditTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    // 8 GPUs at 2.5 per GPU-hour.
    private static readonly TokenAmount Rate = TokenAmount.Parse("20");

    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    private static DowntimeCredit Credit(Outage outage, TimeSpan grace, double rentalEndHour = 10) =>
        DowntimeCredit.For(Rate, T0, T0.AddHours(rentalEndHour), outage, grace);

    [Fact]
    public void An_outage_inside_the_rental_is_not_charged_and_what_lasts_beyond_grace_is_credited_at_the_rate_rounded_down()
    {
        // 90 minutes down, 10 of grace: 80 minutes credited, 20 × 4800 ÷ 3600 = 26.666… rounded down to the base unit.
        var credit = Credit(new Outage(T0.AddHours(2), T0.AddHours(3.5)), TenMinutes);
        Assert.Equal(new DowntimeCredit(5400, 4800, TokenAmount.Parse("26.666666666666666666")), credit);
    }

    [Fact]
    public void An_outage_shorter_than_the_grace_period_is_not_charged_but_earns_no_credit()
    {
        var credit = Credit(new Outage(T0.AddHours(2), T0.AddHours(2).AddMinutes(7)), TenMinutes);
        Assert.Equal(new DowntimeCredit(420, 0, TokenAmount.Zero), credit);
    }

    [Fact]
    public void An_outage_already_going_on_when_the_rental_began_counts_its_grace_from_the_rentals_start()
    {
        // Down from an hour before the rental until 30 minutes into it: 30 minutes inside, 20 beyond grace.
        var credit = Credit(new Outage(T0.AddHours(-1), T0.AddMinutes(30)), TenMinutes);
        Assert.Equal(new DowntimeCredit(1800, 1200, TokenAmount.Parse("6.666666666666666666")), credit);
    }

    [Fact]
    public void An_ongoing_outage_counts_up_to_the_rentals_end_and_an_outage_past_the_end_is_cut_there()
    {
        var ongoing = Credit(new Outage(T0.AddHours(9), null), TenMinutes);
        var pastTheEnd = Credit(new Outage(T0.AddHours(9), T0.AddHours(12)), TenMinutes);
        Assert.Equal(new DowntimeCredit(3600, 3000, TokenAmount.Parse("16.666666666666666666")), ongoing);
        Assert.Equal(ongoing, pastTheEnd);
    }

    [Fact]
    public void An_outage_outside_the_rental_is_worth_nothing()
    {
        Assert.Equal(DowntimeCredit.None, Credit(new Outage(T0.AddHours(11), T0.AddHours(12)), TenMinutes));
        Assert.Equal(DowntimeCredit.None, Credit(new Outage(T0.AddHours(-2), T0), TenMinutes));
        Assert.Equal(DowntimeCredit.None, Credit(new Outage(T0.AddHours(10), null), TenMinutes));
    }

    [Fact]
    public void Fractions_of_a_second_are_not_counted()
    {
        // 90.9 s down, 30.5 s grace: 90 whole seconds down, 60.4 → 60 beyond grace.
        var from = T0.AddHours(1);
        var credit = Credit(new Outage(from, from.AddMilliseconds(90_900)), TimeSpan.FromMilliseconds(30_500));
        Assert.Equal((90L, 60L), (credit.OutageSeconds, credit.BeyondGraceSeconds));
    }

    [Fact]
    public void The_credit_is_exactly_what_metering_charges_for_the_seconds_beyond_grace()
    {
        var random = new Random(47);
        for (var i = 0; i < 500; i++)
        {
            var pricePerGpuHour = new TokenAmount(new BigInteger(random.NextInt64(1, long.MaxValue)) * random.Next(1, 1000));
            var gpus = random.Next(1, 9);
            var rentalEnd = T0.AddSeconds(random.Next(1, 100_000));
            var from = T0.AddSeconds(random.Next(-10_000, 100_000)).AddTicks(random.Next(0, (int)TimeSpan.TicksPerSecond));
            var outage = new Outage(from, random.Next(5) == 0 ? null : from.AddSeconds(random.Next(0, 20_000)));
            var grace = TimeSpan.FromSeconds(random.Next(0, 2000));

            var credit = DowntimeCredit.For(pricePerGpuHour * gpus, T0, rentalEnd, outage, grace);
            Assert.Equal(RentalPricing.Compute(pricePerGpuHour, gpus, credit.BeyondGraceSeconds), credit.Credit);
            Assert.InRange(credit.BeyondGraceSeconds, Math.Max(0, credit.OutageSeconds - (long)grace.TotalSeconds - 1), credit.OutageSeconds);
            Assert.InRange(credit.OutageSeconds, 0, (long)(rentalEnd - T0).TotalSeconds);
        }
    }

    [Fact]
    public void A_backwards_rental_or_outage_and_a_negative_grace_are_refused()
    {
        var outage = new Outage(T0.AddHours(1), T0.AddHours(2));
        Assert.Throws<ArgumentException>(() => DowntimeCredit.For(Rate, T0, T0.AddHours(-1), outage, TenMinutes));
        Assert.Throws<ArgumentException>(() => DowntimeCredit.For(Rate, T0, T0.AddHours(5), new Outage(T0.AddHours(2), T0.AddHours(1)), TenMinutes));
        Assert.Throws<ArgumentOutOfRangeException>(() => DowntimeCredit.For(Rate, T0, T0.AddHours(5), outage, TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void The_slash_is_the_credit_times_the_multiplier_rounded_down()
    {
        Assert.Equal(TokenAmount.Parse("10"), DowntimeSlash.Of(TokenAmount.Parse("8"), 12_500));
        // 3 base units × 1.25 = 3.75 → 3.
        Assert.Equal(new TokenAmount(3), DowntimeSlash.Of(new TokenAmount(3), 12_500));
        Assert.Equal(TokenAmount.Zero, DowntimeSlash.Of(TokenAmount.Parse("8"), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DowntimeSlash.Of(TokenAmount.Parse("8"), -1));
    }
}
