namespace DepinMarket.Domain.Trust;

/// <summary>
/// The share of a window in which a node was up, from its outages: what a provider's health page shows and what its
/// reputation counts (<see cref="ReputationScore"/>).
/// <para>
/// Only the monitored part of the window counts: a node registered halfway through the last 30 days is judged on
/// the 15 days it was watched, not charged with 15 days of "down" before it existed. Outages may overlap and come in
/// any order (two detectors recording the same downtime count once); each is cut to the window.
/// </para>
/// </summary>
public static class Uptime
{
    /// <summary>
    /// The fraction of [max(<paramref name="windowStart"/>, <paramref name="monitoredSince"/>), <paramref name="windowEnd"/>)
    /// not covered by any outage, 0 to 1; null when that span is empty (the node was first monitored at or after the
    /// window's end), since an uptime of nothing is unknown rather than perfect or zero.
    /// An ongoing outage counts up to <paramref name="windowEnd"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The window ends before it starts, or an outage ends before it began.</exception>
    public static double? Over(IEnumerable<Outage> outages, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset monitoredSince)
    {
        ThrowIfBackwards(windowStart, windowEnd);
        var start = monitoredSince > windowStart ? monitoredSince : windowStart;
        if (start >= windowEnd)
        {
            return null;
        }
        var down = Merge(outages, start, windowEnd).Sum(o => (o.EndWithin(windowEnd) - o.From).Ticks);
        var monitored = (windowEnd - start).Ticks;
        return (double)(monitored - down) / monitored;
    }

    /// <summary>
    /// The outages cut to [<paramref name="windowStart"/>, <paramref name="windowEnd"/>) and merged: sorted, disjoint
    /// and not touching (an outage that begins where another ends joins it), none empty. A merged outage that contains
    /// an ongoing one is itself ongoing (<see cref="Outage.Until"/> null: it lasts to the window's end and beyond).
    /// What a health page lists, and what <see cref="Over"/> sums.
    /// </summary>
    /// <exception cref="ArgumentException">The window ends before it starts, or an outage ends before it began.</exception>
    public static IReadOnlyList<Outage> Merge(IEnumerable<Outage> outages, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ThrowIfBackwards(windowStart, windowEnd);
        var clipped = new List<Outage>();
        foreach (var outage in outages)
        {
            outage.ThrowIfInvalid(nameof(outages));
            if (outage.ClippedTo(windowStart, windowEnd) is { } inside)
            {
                clipped.Add(inside);
            }
        }
        clipped.Sort((a, b) => a.From.CompareTo(b.From));

        var merged = new List<Outage>();
        foreach (var outage in clipped)
        {
            if (merged.Count == 0 || outage.From > merged[^1].EndWithin(windowEnd))
            {
                merged.Add(outage);
                continue;
            }
            var last = merged[^1];
            merged[^1] = last.IsOngoing || outage.IsOngoing
                ? last with { Until = null }
                : last with { Until = outage.Until > last.Until ? outage.Until : last.Until };
        }
        return merged;
    }

    private static void ThrowIfBackwards(DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        if (windowEnd < windowStart)
        {
            throw new ArgumentException($"A window cannot end ({windowEnd:O}) before it starts ({windowStart:O}).", nameof(windowEnd));
        }
    }
}
