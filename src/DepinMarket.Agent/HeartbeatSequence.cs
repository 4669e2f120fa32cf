namespace DepinMarket.Agent;

/// <summary>
/// The next heartbeat sequence: one more than the last one sent, but never less than the current time in Unix
/// milliseconds. Heartbeats are seconds apart, so the clock stays far ahead of the +1 steps: a lost or older state
/// file still gives a sequence above any the API accepted, and the stored one covers a clock set back.
/// </summary>
public static class HeartbeatSequence
{
    /// <summary>The contract's ceiling, 2^53 (the largest integer every JSON reader holds exactly).</summary>
    public const long Max = 1L << 53;

    public static long Next(long lastSent, DateTimeOffset now)
    {
        var next = Math.Max(lastSent + 1, now.ToUnixTimeMilliseconds());
        return next <= Max
            ? next
            : throw new InvalidOperationException($"The heartbeat sequence would pass 2^53 ({next}); the state file holds an impossible value.");
    }
}
