using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Faucet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>
/// Settles grants left in doubt that nobody asks about (the client hung up, the receipt came late, the node dropped
/// the mint): every Faucet:ResolveInterval the in-doubt grants go to <see cref="FaucetGrantResolver"/>, the same code
/// the requests use (see <see cref="InDoubtSweep{TChain, TRow}"/>). Off when the faucet is (no chain, not a test network,
/// not set up) or the interval is zero.
/// </summary>
internal sealed class FaucetInDoubtSweep(
    IServiceScopeFactory scopes, MarketChain marketChain, NpgsqlDataSource dataSource, IOptions<FaucetOptions> options, TimeProvider clock,
    ILogger<FaucetInDoubtSweep> logger) : InDoubtSweep<FaucetChain, FaucetGrant>(scopes, dataSource, clock, logger)
{
    /// <summary>"faucetsw": one sweep of grants in doubt at a time, whichever instance runs it.</summary>
    public const long SweepLock = 0x6661756365747377;

    protected override string Name => "Faucet sweep";

    protected override long LockKey => SweepLock;

    protected override TimeSpan Interval => options.Value.ResolveInterval;

    protected override FaucetChain TryChain() => FaucetChain.From(marketChain);

    protected override Task<List<FaucetGrant>> OpenAsync(MarketDbContext db, DateTimeOffset settledBefore, CancellationToken stoppingToken) =>
        db.FaucetGrants
            .Where(g => g.Status == FaucetGrantStatus.InDoubt && g.GrantedAt < settledBefore)
            .OrderBy(g => g.GrantedAt).ThenBy(g => g.Id)
            .Take(InDoubtSweep.BatchSize)
            .ToListAsync(stoppingToken);

    protected override Func<FaucetGrant, CancellationToken, Task<bool>> Resolver(FaucetChain chain, MarketDbContext db) =>
        new FaucetGrantResolver(db, chain, DataSource, Clock, Logger).ResolveAsync;

    protected override (object Id, string? TransactionHash, object Status) Describe(FaucetGrant grant) => (grant.Id, grant.TransactionHash, grant.Status);
}
