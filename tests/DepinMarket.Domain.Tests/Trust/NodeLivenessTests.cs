using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Tests.Trust;

public sealed class NodeLivenessTests
{
    private static readonly DateTimeOffset LastSeen = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan ThirtySeconds = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_node_is_down_after_its_interval_times_the_missed_intervals()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), NodeLiveness.DownAfter(ThirtySeconds, 3));
        Assert.Equal(TimeSpan.FromMinutes(10), NodeLiveness.DownAfter(TimeSpan.FromMinutes(5), 2));
    }

    [Fact]
    public void A_node_seen_exactly_at_the_deadline_is_still_up_and_one_tick_later_it_is_down()
    {
        Assert.False(NodeLiveness.IsDown(LastSeen, ThirtySeconds, 3, LastSeen.AddSeconds(89)));
        Assert.False(NodeLiveness.IsDown(LastSeen, ThirtySeconds, 3, LastSeen.AddSeconds(90)));
        Assert.True(NodeLiveness.IsDown(LastSeen, ThirtySeconds, 3, LastSeen.AddSeconds(90).AddTicks(1)));
    }

    [Fact]
    public void A_heartbeat_stamped_after_now_by_a_fast_clock_is_not_down()
    {
        Assert.False(NodeLiveness.IsDown(LastSeen, ThirtySeconds, 3, LastSeen.AddSeconds(-5)));
    }

    [Fact]
    public void An_interval_that_is_not_positive_or_fewer_than_one_missed_interval_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeLiveness.DownAfter(TimeSpan.Zero, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeLiveness.DownAfter(TimeSpan.FromSeconds(-1), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeLiveness.DownAfter(ThirtySeconds, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeLiveness.IsDown(LastSeen, ThirtySeconds, 0, LastSeen));
    }
}
