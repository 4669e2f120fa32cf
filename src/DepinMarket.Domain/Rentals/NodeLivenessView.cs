using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Rentals;

/// <summary>
/// What metering needs of a rental's node: when it was last seen alive and its outages. Time after the last heartbeat
/// is not charged yet (it may turn out to be an outage); outages already recorded are never charged.
/// </summary>
public sealed record NodeLivenessView(DateTimeOffset SeenUntil, IReadOnlyList<Outage> Outages)
{
    /// <summary>Whole seconds of [from, to) covered by outages (merged, so overlapping records are counted once).</summary>
    public long DownSeconds(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? 0 : (long)Math.Floor(Uptime.Merge(Outages, from, to).Sum(o => (o.EndWithin(to) - o.From).TotalSeconds));
}
