using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Nodes;
using DepinMarket.Api.Features.Rewards;
using DepinMarket.Domain.Rewards;
using DepinMarket.Domain.Trust;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Reputation;

/// <summary>
/// Emission rewards weighed by reliability: a provider's weight in an epoch is the mean uptime of its nodes over that
/// epoch (from the outage record, so a recomputation from stored inputs agrees), in basis points. A provider with no
/// monitored node counts in full: nothing in the record holds against it (see docs/decisions/0024 for why that is a gap).
/// </summary>
internal sealed class UptimeReliability(IServiceScopeFactory scopes) : IRewardReliability
{
    public async Task<IReadOnlyDictionary<Guid, int>> WeightsAsync(IReadOnlyCollection<Guid> providers, DateTimeOffset from, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var ids = providers.ToArray();
        var nodes = await db.Nodes.AsNoTracking().Where(n => ids.Contains(n.ProviderId) && n.MonitoredSince != null && n.MonitoredSince < until)
            .Select(n => new { n.Id, n.ProviderId, MonitoredSince = n.MonitoredSince!.Value }).ToListAsync(cancellationToken);
        var nodeIds = nodes.Select(n => n.Id).ToArray();
        var outages = (await db.Set<NodeOutageRecord>().AsNoTracking()
                .Where(o => nodeIds.Contains(o.NodeId) && o.StartedAt < until && (o.EndedAt == null || o.EndedAt > from)).ToListAsync(cancellationToken))
            .ToLookup(o => o.NodeId, o => new Outage(o.StartedAt, o.EndedAt));
        var uptimes = nodes.GroupBy(n => n.ProviderId).ToDictionary(g => g.Key,
            g => g.Select(n => Uptime.Over(outages[n.Id], from, until, n.MonitoredSince)).Where(u => u is not null).Select(u => u!.Value).ToList());
        return providers.ToDictionary(p => p, p => uptimes.TryGetValue(p, out var u) && u.Count > 0
            ? (int)Math.Round(u.Average() * Reliability.Full)
            : Reliability.Full);
    }
}
