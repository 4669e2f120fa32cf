namespace DepinMarket.Domain.Trust;

/// <summary>
/// When a node that stopped sending heartbeats counts as down: after it missed <c>missedIntervals</c> heartbeats in a
/// row. One late heartbeat (a slow network, a garbage-collection pause) must not open an outage, so the rule waits for
/// several; the node's own interval sets the pace, so a node that reports every 5 minutes is not judged by a 30-second clock.
/// </summary>
public static class NodeLiveness
{
    /// <summary>How long after its last heartbeat a node is down: <paramref name="heartbeatInterval"/> × <paramref name="missedIntervals"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An interval that is not positive, or fewer than one missed interval.</exception>
    public static TimeSpan DownAfter(TimeSpan heartbeatInterval, int missedIntervals)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(heartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(missedIntervals, 1);
        return heartbeatInterval * missedIntervals;
    }

    /// <summary>
    /// Whether a node last seen at <paramref name="lastSeenAt"/> is down at <paramref name="now"/>: strictly more than
    /// <see cref="DownAfter"/> has passed, so a heartbeat arriving exactly on the deadline still counts as in time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An interval that is not positive, or fewer than one missed interval.</exception>
    public static bool IsDown(DateTimeOffset lastSeenAt, TimeSpan heartbeatInterval, int missedIntervals, DateTimeOffset now) =>
        now - lastSeenAt > DownAfter(heartbeatInterval, missedIntervals);
}
