using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rewards;

namespace DepinMarket.Domain.Tests.Rewards;

public sealed class EmissionScheduleTests
{
    private static EmissionSchedule Schedule(string initial = "500", int decayBps = 102, long epochsPerMonth = 720, string cap = "21000000") =>
        new(TokenAmount.Parse(initial), decayBps, epochsPerMonth, TokenAmount.Parse(cap));

    [Fact]
    public void Every_epoch_of_a_month_has_the_same_rate_and_each_month_loses_the_decay_rounded_down()
    {
        var schedule = Schedule(initial: "0.000000000000001", decayBps: 102, epochsPerMonth: 3);
        // 1000 base units; then 1000 × 0.9898 = 989.8 → 989; 989 × 0.9898 = 978.9… → 978.
        Assert.Equal([1000, 1000, 1000, 989, 989, 989, 978], Enumerable.Range(0, 7).Select(n => (long)schedule.RateFor(n).BaseUnits));
        Assert.Equal(new BigInteger(3 * 1000 + 3 * 989), schedule.EmittedBefore(6).BaseUnits);
        Assert.Equal(schedule.RateFor(6), schedule.EmissionFor(6));
    }

    [Fact]
    public void Without_decay_the_rate_is_constant_and_the_cap_cuts_the_epoch_that_crosses_it()
    {
        // 7 per epoch under a cap of 20: 7, 7, 6, then nothing.
        var schedule = Schedule(initial: "7", decayBps: 0, epochsPerMonth: 2, cap: "20");
        Assert.Equal(["7", "7", "6", "0", "0"], Enumerable.Range(0, 5).Select(n => schedule.EmissionFor(n).ToString()));
        Assert.Equal(TokenAmount.Parse("20"), schedule.EmittedBefore(1_000_000_000_000));
        Assert.Equal(TokenAmount.Parse("7"), schedule.RateFor(1_000_000_000_000));
    }

    [Fact]
    public void The_sum_of_every_epochs_emission_never_exceeds_the_cap_and_equals_what_was_emitted_before()
    {
        var random = new Random(9);
        for (var i = 0; i < 200; i++)
        {
            var schedule = new EmissionSchedule(new TokenAmount(random.NextInt64(0, 1_000_000)), random.Next(0, 3000), random.Next(1, 20),
                new TokenAmount(random.NextInt64(0, 50_000_000)));
            var total = BigInteger.Zero;
            for (var n = 0; n < 400; n++)
            {
                Assert.Equal(total, schedule.EmittedBefore(n).BaseUnits);
                var emission = schedule.EmissionFor(n);
                Assert.True(emission <= schedule.RateFor(n), $"{schedule} epoch {n}");
                total += emission.BaseUnits;
                Assert.True(total <= schedule.Cap.BaseUnits, $"{schedule} went over its cap at epoch {n}");
            }
        }
    }

    [Fact]
    public void A_decaying_rate_reaches_zero_and_a_far_epoch_is_answered_at_once()
    {
        var schedule = Schedule(initial: "500", decayBps: 102, cap: "1000000000000");
        Assert.True(schedule.RateFor(720 * 12) < schedule.RateFor(0));
        Assert.True(schedule.RateFor(720L * 10_000).IsZero);
        Assert.Equal(schedule.EmittedBefore(720L * 10_000), schedule.EmittedBefore(long.MaxValue));
        Assert.True(schedule.EmissionFor(long.MaxValue).IsZero);
    }

    [Fact]
    public void The_default_like_schedule_emits_its_initial_rate_first_and_never_reaches_more_than_21_million()
    {
        var schedule = Schedule();
        Assert.Equal(TokenAmount.Parse("500"), schedule.EmissionFor(0));
        Assert.Equal(TokenAmount.Parse("494.9"), schedule.EmissionFor(720));
        Assert.True(schedule.EmittedBefore(long.MaxValue) <= TokenAmount.Parse("21000000"));
    }

    [Fact]
    public void The_schedule_is_deterministic_and_refuses_what_it_cannot_compute()
    {
        Assert.Equal(Schedule().EmissionFor(123_456), Schedule().EmissionFor(123_456));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule().EmissionFor(-1));
        Assert.False(Schedule(decayBps: 10_001).IsValid);
        Assert.False(Schedule(epochsPerMonth: 0).IsValid);
        Assert.Throws<InvalidOperationException>(() => Schedule(epochsPerMonth: 0).EmissionFor(1));
    }

    [Fact]
    public void The_grid_puts_every_instant_after_genesis_in_one_epoch_and_counts_the_finished_ones()
    {
        var genesis = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var grid = new EpochGrid(genesis, TimeSpan.FromHours(1));
        Assert.Equal(genesis.AddHours(5), grid.StartOf(5));
        Assert.Equal(genesis.AddHours(6), grid.EndOf(5));
        Assert.Equal(0, grid.FinishedBy(genesis.AddMinutes(-1)));
        Assert.Equal(0, grid.FinishedBy(genesis.AddMinutes(59)));
        Assert.Equal(1, grid.FinishedBy(genesis.AddHours(1)));
        Assert.Equal(720, grid.EpochsIn(TimeSpan.FromDays(30)));
        Assert.Throws<ArgumentException>(() => grid.EpochsIn(TimeSpan.FromMinutes(90)));
        Assert.False(new EpochGrid(genesis, TimeSpan.FromMilliseconds(1500)).IsValid);
    }
}
