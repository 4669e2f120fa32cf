namespace DepinMarket.Agent;

/// <summary>
/// How long to wait after each failure in a row to reach the API: <c>first</c>, doubling, up to <c>cap</c>, then
/// jittered down to between half and all of that, so that many agents that lost the API at the same moment do not
/// all come back in the same second. A Retry-After from the server is a floor (up to the cap: a misconfigured
/// header must not park a node for a day). Pure: the jitter comes from the caller, the waiting is the caller's.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan cap, Func<double> jitter)
{
    public static readonly TimeSpan DefaultFirst = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan DefaultCap = TimeSpan.FromMinutes(5);

    // 2^30 seconds is far beyond any cap; stopping the doubling there keeps the arithmetic from overflowing.
    private const int MaxDoublings = 30;

    public Backoff(Func<double> jitter)
        : this(DefaultFirst, DefaultCap, jitter)
    {
    }

    /// <summary>Failures since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>Counts one more failure and says how long to wait before trying again.</summary>
    /// <param name="retryAfter">The server's Retry-After, when it sent one.</param>
    public TimeSpan NextDelay(TimeSpan? retryAfter = null)
    {
        var doublings = Math.Min(Failures, MaxDoublings);
        Failures++;
        var ceiling = Math.Min(cap.Ticks, first.Ticks * (1L << doublings));
        var jittered = (ceiling / 2) + (long)(Math.Clamp(jitter(), 0, 1) * (ceiling / 2));
        var floor = Math.Min(retryAfter?.Ticks ?? 0, cap.Ticks);
        return TimeSpan.FromTicks(Math.Max(jittered, floor));
    }

    /// <summary>After a success: the next failure waits <c>first</c> again.</summary>
    public void Reset() => Failures = 0;
}
