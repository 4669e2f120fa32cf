namespace DepinMarket.Api.Hosting;

public static class Clock
{
    /// <summary>
    /// Now, cut to whole microseconds: PostgreSQL's timestamptz keeps microseconds, so an object answered
    /// straight after a write shows the same time as when it is read back later.
    /// </summary>
    public static DateTimeOffset Now(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
