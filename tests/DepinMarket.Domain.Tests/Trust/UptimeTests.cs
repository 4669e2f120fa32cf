using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Tests.Trust;

public sealed class UptimeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset H(double hours) => T0.AddHours(hours);

    private static Outage Down(double fromHour, double? untilHour) => new(H(fromHour), untilHour is { } u ? H(u) : null);

    [Fact]
    public void A_window_without_outages_is_fully_up()
    {
        Assert.Equal(1.0, Uptime.Over([], H(0), H(24), monitoredSince: H(-100)));
    }

    [Fact]
    public void Six_hours_down_in_a_day_is_three_quarters_up()
    {
        Assert.Equal(0.75, Uptime.Over([Down(3, 9)], H(0), H(24), monitoredSince: H(0)));
    }

    [Fact]
    public void Overlapping_unsorted_outages_count_once()
    {
        // [2,5), [1,3) and [4,6) cover [1,6): 5 of 10 hours.
        Outage[] outages = [Down(2, 5), Down(1, 3), Down(4, 6)];
        Assert.Equal(0.5, Uptime.Over(outages, H(0), H(10), monitoredSince: H(0)));
        Assert.Equal([Down(1, 6)], Uptime.Merge(outages, H(0), H(10)));
    }

    [Fact]
    public void Outages_that_touch_merge_into_one_and_an_outage_inside_another_disappears()
    {
        Assert.Equal([Down(1, 4)], Uptime.Merge([Down(2, 4), Down(1, 2), Down(2.5, 3)], H(0), H(10)));
    }

    [Fact]
    public void Outages_are_cut_to_the_window_and_those_outside_it_do_not_count()
    {
        // [-5,2) counts from 0, [8,30) until 10 (and is no longer ongoing there), [12,13) not at all.
        Outage[] outages = [Down(-5, 2), Down(8, 30), Down(12, 13), Down(-9, -8)];
        Assert.Equal([Down(0, 2), Down(8, 10)], Uptime.Merge(outages, H(0), H(10)));
        Assert.Equal(0.6, Uptime.Over(outages, H(0), H(10), monitoredSince: H(0))!.Value, precision: 12);
    }

    [Fact]
    public void An_ongoing_outage_counts_up_to_the_end_of_the_window_and_stays_ongoing_when_merged()
    {
        Outage[] outages = [Down(6, null), Down(5, 7)];
        Assert.Equal(0.5, Uptime.Over(outages, H(0), H(10), monitoredSince: H(0)));
        Assert.Equal([Down(5, null)], Uptime.Merge(outages, H(0), H(10)));
    }

    [Fact]
    public void An_ongoing_outage_that_began_after_the_window_does_not_count()
    {
        Assert.Equal(1.0, Uptime.Over([Down(11, null)], H(0), H(10), monitoredSince: H(0)));
    }

    [Fact]
    public void Only_the_monitored_part_of_the_window_counts()
    {
        // Monitored for the last 15 of 30 days, down for 1.5 days of them; an outage before monitoring began is ignored.
        var day = 24.0;
        Outage[] outages = [Down(2 * day, 3 * day), Down(20 * day, 21.5 * day)];
        Assert.Equal(0.9, Uptime.Over(outages, H(0), H(30 * day), monitoredSince: H(15 * day))!.Value, precision: 12);
    }

    [Fact]
    public void An_uptime_of_nothing_is_unknown()
    {
        Assert.Null(Uptime.Over([], H(0), H(10), monitoredSince: H(10)));
        Assert.Null(Uptime.Over([], H(0), H(10), monitoredSince: H(12)));
        Assert.Null(Uptime.Over([Down(0, 1)], H(5), H(5), monitoredSince: H(0)));
    }

    [Fact]
    public void A_backwards_outage_or_window_is_refused()
    {
        Assert.False(Down(3, 2).IsValid);
        Assert.Throws<ArgumentException>(() => Uptime.Over([Down(3, 2)], H(0), H(10), H(0)));
        Assert.Throws<ArgumentException>(() => Uptime.Merge([Down(3, 2)], H(0), H(10)));
        Assert.Throws<ArgumentException>(() => Uptime.Over([], H(10), H(0), H(0)));
        Assert.Throws<ArgumentException>(() => Uptime.Merge([], H(10), H(0)));
    }

    [Fact]
    public void Uptime_matches_counting_the_minutes_one_by_one_and_merged_outages_are_sorted_disjoint_and_inside_the_window()
    {
        var random = new Random(31);
        for (var i = 0; i < 300; i++)
        {
            var outages = Enumerable.Range(0, random.Next(0, 12)).Select(_ =>
            {
                var from = random.Next(-60, 600);
                return new Outage(T0.AddMinutes(from), random.Next(8) == 0 ? null : T0.AddMinutes(from + random.Next(0, 120)));
            }).ToArray();
            var (start, end, monitoredSince) = (random.Next(0, 100), random.Next(100, 560), random.Next(-50, 300));

            var merged = Uptime.Merge(outages, T0.AddMinutes(start), T0.AddMinutes(end));
            for (var k = 0; k < merged.Count; k++)
            {
                var outage = merged[k];
                Assert.True(outage.From >= T0.AddMinutes(start) && outage.EndWithin(T0.AddMinutes(end)) <= T0.AddMinutes(end), $"case {i}");
                Assert.True(outage.EndWithin(T0.AddMinutes(end)) > outage.From, $"case {i}: empty outage");
                Assert.True(k == 0 || outage.From > merged[k - 1].Until, $"case {i}: outages {k - 1} and {k} touch or overlap");
                Assert.True(k == merged.Count - 1 || !outage.IsOngoing, $"case {i}: only the last can be ongoing");
            }

            var counted = Math.Max(start, monitoredSince);
            var minutes = Enumerable.Range(counted, Math.Max(0, end - counted)).ToArray();
            var downMinutes = minutes.Count(m => outages.Any(o => o.From <= T0.AddMinutes(m) && T0.AddMinutes(m) < o.EndWithin(T0.AddMinutes(end))));
            var uptime = Uptime.Over(outages, T0.AddMinutes(start), T0.AddMinutes(end), T0.AddMinutes(monitoredSince));
            if (minutes.Length == 0)
            {
                Assert.Null(uptime);
                continue;
            }
            Assert.Equal((double)(minutes.Length - downMinutes) / minutes.Length, uptime!.Value, precision: 12);
        }
    }
}
