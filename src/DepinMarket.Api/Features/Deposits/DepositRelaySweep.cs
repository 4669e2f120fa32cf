using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Deposits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>
/// Settles relays left open that nobody asks about (the broadcast timed out or was cut, the process stopped after
/// storing the relay, the node dropped it): every Deposits:ResolveInterval the oldest open relays go to
/// <see cref="DepositRelayResolver"/>, the same code GET /v1/deposits/relays uses (see <see cref="InDoubtSweep{TChain, TRow}"/>).
/// Off when relaying is (no chain, no contracts, no settler key) or the interval is zero.
/// </summary>
internal sealed class DepositRelaySweep(
    IServiceScopeFactory scopes, MarketChain marketChain, NpgsqlDataSource dataSource, IOptions<DepositOptions> options, TimeProvider clock,
    ILogger<DepositRelaySweep> logger) : InDoubtSweep<DepositChain, DepositRelay>(scopes, dataSource, clock, logger)
{
    /// <summary>"relaysw_": one sweep of open relays at a time, whichever instance runs it.</summary>
    public const long SweepLock = 0x72656c617973775f;

    protected override string Name => "Deposit relay sweep";

    protected override long LockKey => SweepLock;

    protected override TimeSpan Interval => options.Value.ResolveInterval;

    protected override DepositChain TryChain() => DepositChain.From(marketChain);

    protected override Task<List<DepositRelay>> OpenAsync(MarketDbContext db, DateTimeOffset settledBefore, CancellationToken stoppingToken) =>
        db.DepositRelays
            .Where(r => (r.Status == DepositRelayStatus.InDoubt || r.Status == DepositRelayStatus.Relayed) && r.CreatedAt < settledBefore)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Take(InDoubtSweep.BatchSize)
            .ToListAsync(stoppingToken);

    protected override Func<DepositRelay, CancellationToken, Task<bool>> Resolver(DepositChain chain, MarketDbContext db) =>
        new DepositRelayResolver(db, chain, DataSource, Clock, Logger).ResolveAsync;

    protected override (object Id, string? TransactionHash, object Status) Describe(DepositRelay relay) => (relay.Id, relay.TransactionHash, relay.Status);
}
