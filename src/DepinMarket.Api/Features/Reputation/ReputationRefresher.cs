using System.Text.Json;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Reputation;

/// <summary>Settings of reputation (section "Reputation").</summary>
public sealed class ReputationOptions
{
    /// <summary>How often every provider's standing (what search filters and sorts on) is recomputed; zero: never (tests run it by hand).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Recomputes the standing of every provider with an offer or a node, in batches, and writes it for search. Idempotent and
/// safe on several instances: each writes the same figures from the same record.
/// </summary>
public sealed class ReputationRefresher(IServiceScopeFactory scopes, ReputationInputsReader inputs, TimeProvider clock)
{
    private const int BatchSize = 500;

    private const string Upsert = """
        insert into provider_standings (provider_id, score, uptime30d_bps, components, computed_at)
        select * from unnest({0}, {1}, {2}, {3}, {4})
        on conflict (provider_id) do update set score = excluded.score, uptime30d_bps = excluded.uptime30d_bps,
            components = excluded.components, computed_at = excluded.computed_at
        """;

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var providers = await db.Accounts.AsNoTracking().Where(a => a.IsProvider
                && (db.ComputeOffers.Any(o => o.ProviderId == a.Id) || db.StorageOffers.Any(o => o.ProviderId == a.Id)
                    || db.ModelOffers.Any(o => o.ProviderId == a.Id) || db.Nodes.Any(n => n.ProviderId == a.Id)))
            .Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var batch in providers.Chunk(BatchSize))
        {
            var read = await inputs.ReadAsync(db, batch, cancellationToken);
            var now = clock.Now();
            var rows = read.Select(r => (Id: r.Key, Inputs: r.Value, Reputation: ReputationScore.For(r.Value))).ToArray();
            // The ids, scores, uptimes, components and times as five arrays, one element per provider.
            await db.Database.ExecuteSqlRawAsync(Upsert,
                [rows.Select(r => r.Id).ToArray(), rows.Select(r => r.Reputation.Score).ToArray(),
                 rows.Select(r => r.Inputs.Uptime30Days is { } u ? (int?)(int)Math.Round(u * 10_000) : null).ToArray(),
                 rows.Select(r => JsonSerializer.Serialize(r.Reputation.Components, JsonSerializerOptions.Web)).ToArray(),
                 rows.Select(_ => now).ToArray()], cancellationToken);
        }
        return providers.Count;
    }
}

internal sealed class ReputationRefreshService(ReputationRefresher refresher, IOptions<ReputationOptions> options, TimeProvider clock, ILogger<ReputationRefreshService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Reputation refresh";

    protected override TimeSpan? Interval => options.Value.RefreshInterval > TimeSpan.Zero ? options.Value.RefreshInterval : null;

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => refresher.RunOnceAsync(stoppingToken);
}
