using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Faucet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>
/// Settles grants left in doubt that nobody asks about (the client hung up, the receipt came late, the node dropped
/// the mint): every Faucet:ResolveInterval it hands the in-doubt grants older than <see cref="MinimumAge"/> to
/// <see cref="FaucetGrantResolver"/>, the same code the requests use (the receipt first, then the stored bytes
/// again, never a new signature). With several API instances, one sweeps at a time (<see cref="SweepLock"/>);
/// the others skip that tick. A node or database that does not answer is logged and tried again on the next tick.
/// Off when the faucet is (no chain, not a test network, not set up) or the interval is zero.
/// </summary>
internal sealed class FaucetInDoubtSweep(
    IServiceScopeFactory scopes, MarketChain marketChain, NpgsqlDataSource dataSource, IOptions<FaucetOptions> options, TimeProvider clock,
    ILogger<FaucetInDoubtSweep> logger) : BackgroundService
{
    /// <summary>Younger grants are most likely still awaited by the request that sent them; it settles them itself.</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(5);

    /// <summary>"faucetsw": one sweep of grants in doubt at a time, whichever instance runs it.</summary>
    public const long SweepLock = 0x6661756365747377;

    // A sweep looks at this many of the oldest grants; the rest wait for the next tick.
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ResolveInterval;
        if (interval == TimeSpan.Zero)
        {
            return;
        }
        FaucetChain chain;
        try
        {
            chain = FaucetChain.From(marketChain);
        }
        catch (DomainException)
        {
            return; // no faucet here, so no grant can be in doubt
        }
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepOnceAsync(chain, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task SweepOnceAsync(FaucetChain chain, CancellationToken stoppingToken)
    {
        try
        {
            await using var sweep = await AdvisoryLock.TryTakeAsync(dataSource, SweepLock, stoppingToken);
            if (sweep is null)
            {
                logger.LogDebug("Faucet sweep skipped: another instance is sweeping");
                return;
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
            var settledBefore = clock.Now() - MinimumAge;
            var grants = await db.FaucetGrants
                .Where(g => g.Status == FaucetGrantStatus.InDoubt && g.GrantedAt < settledBefore)
                .OrderBy(g => g.GrantedAt).ThenBy(g => g.Id)
                .Take(BatchSize)
                .ToListAsync(stoppingToken);
            var resolver = new FaucetGrantResolver(db, chain, dataSource, clock, logger);
            foreach (var grant in grants)
            {
                if (!await resolver.ResolveAsync(grant, stoppingToken))
                {
                    // The resolver logged why; the other grants wait for the next tick rather than each waiting on the node.
                    return;
                }
                if (grant.Status != FaucetGrantStatus.InDoubt)
                {
                    logger.LogInformation("Faucet grant {GrantId}: mint {TransactionHash} settled in the background as {Status}",
                        grant.Id, grant.TransactionHash, grant.Status);
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(stoppingToken);
        }
        catch (Exception ex)
        {
            // Letting it escape would stop the whole host over a sweep that can simply run again.
            logger.LogWarning("Faucet sweep of grants in doubt failed ({Reason}); trying again in {Interval}", ex.Message, options.Value.ResolveInterval);
        }
    }
}
