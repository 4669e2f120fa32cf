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
/// the requests use (see <see cref="InDoubtSweep{TChain}"/>). Off when the faucet is (no chain, not a test network,
/// not set up) or the interval is zero.
/// </summary>
internal sealed class FaucetInDoubtSweep(
    IServiceScopeFactory scopes, MarketChain marketChain, NpgsqlDataSource dataSource, IOptions<FaucetOptions> options, TimeProvider clock,
    ILogger<FaucetInDoubtSweep> logger) : InDoubtSweep<FaucetChain>(scopes, dataSource, clock, logger)
{
    /// <summary>"faucetsw": one sweep of grants in doubt at a time, whichever instance runs it.</summary>
    public const long SweepLock = 0x6661756365747377;

    protected override string Name => "Faucet sweep";

    protected override long LockKey => SweepLock;

    protected override TimeSpan Interval => options.Value.ResolveInterval;

    protected override FaucetChain TryChain() => FaucetChain.From(marketChain);

    protected override async Task<int> SweepAsync(FaucetChain chain, MarketDbContext db, DateTimeOffset settledBefore, CancellationToken stoppingToken)
    {
        var grants = await db.FaucetGrants
            .Where(g => g.Status == FaucetGrantStatus.InDoubt && g.GrantedAt < settledBefore)
            .OrderBy(g => g.GrantedAt).ThenBy(g => g.Id)
            .Take(InDoubtSweep.BatchSize)
            .ToListAsync(stoppingToken);
        var resolver = new FaucetGrantResolver(db, chain, DataSource, Clock, Logger);
        var looked = 0;
        foreach (var grant in grants)
        {
            looked++;
            if (!await resolver.ResolveAsync(grant, stoppingToken))
            {
                return looked; // the other grants wait for the next tick rather than each waiting on the node
            }
            if (grant.Status != FaucetGrantStatus.InDoubt)
            {
                Logger.LogInformation("Faucet grant {GrantId}: mint {TransactionHash} settled in the background as {Status}",
                    grant.Id, grant.TransactionHash, grant.Status);
            }
        }
        return looked;
    }
}
