namespace DepinMarket.Domain.Trust;

/// <summary>
/// A span in which a node was down: from <see cref="From"/> until <see cref="Until"/>, half open. An outage that is
/// still going on has no end yet (<see cref="Until"/> is null) and counts up to the end of whatever span it is
/// measured in (the window of an uptime, a rental's span), so one record serves while it lasts and after.
/// </summary>
public sealed record Outage(DateTimeOffset From, DateTimeOffset? Until)
{
    /// <summary>An outage cannot end before it began; one that ends where it began is empty, which is allowed.</summary>
    public bool IsValid => Until is not { } until || until >= From;

    public bool IsOngoing => Until is null;

    /// <summary>Where the outage ends when measured in a span that ends at <paramref name="spanEnd"/>: an ongoing one at the span's end.</summary>
    public DateTimeOffset EndWithin(DateTimeOffset spanEnd) => Until ?? spanEnd;

    /// <summary>The part of this outage inside [<paramref name="start"/>, <paramref name="end"/>), or null when none of it is.</summary>
    /// <remarks>An ongoing outage stays ongoing (its end is the span's end); a finished one is cut at the span's end.</remarks>
    public Outage? ClippedTo(DateTimeOffset start, DateTimeOffset end)
    {
        var from = From > start ? From : start;
        var until = EndWithin(end) < end ? EndWithin(end) : end;
        if (until <= from)
        {
            return null;
        }
        return new Outage(from, Until is null ? null : until);
    }

    internal void ThrowIfInvalid(string paramName)
    {
        if (!IsValid)
        {
            throw new ArgumentException($"An outage cannot end before it began; got {From:O} until {Until:O}.", paramName);
        }
    }
}
