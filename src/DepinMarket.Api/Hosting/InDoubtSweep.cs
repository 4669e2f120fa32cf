using DepinMarket.Api.Data;
using DepinMarket.Domain;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>What every <see cref="InDoubtSweep{TChain}"/> shares.</summary>
internal static class InDoubtSweep
{
    /// <summary>Younger rows are most likely still awaited by the request that sent them; it settles them itself.</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(5);

    /// <summary>A sweep looks at this many of the oldest rows; the rest wait for the next tick.</summary>
    public const int BatchSize = 50;
}

/// <summary>
/// The background half of settling settler transactions in doubt that nobody asks about (a client hung up, a receipt
/// came late, the node dropped or never got the transaction, the process stopped after storing it): every
/// <see cref="Interval"/> it hands the open rows older than <see cref="InDoubtSweep.MinimumAge"/> to the feature's resolver, the
/// same code the requests use (the stored hash looked up, at most the same stored bytes sent again, never a new
/// signature). With several API instances one sweeps at a time (<see cref="LockKey"/>, a try-lock); the others skip
/// that tick. A node or database that does not answer is logged and tried again on the next tick. Off when the
/// feature has no chain (<see cref="TryChain"/> throws a <see cref="DomainException"/>) or the interval is zero.
/// </summary>
internal abstract class InDoubtSweep<TChain>(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider clock, ILogger logger)
    : BackgroundService
    where TChain : class
{
    /// <summary>Names the sweep in its log lines ("Faucet sweep").</summary>
    protected abstract string Name { get; }

    /// <summary>The try-advisory lock that lets one instance sweep at a time.</summary>
    protected abstract long LockKey { get; }

    protected NpgsqlDataSource DataSource => dataSource;

    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>The feature's chain; a <see cref="DomainException"/> when the feature is off here.</summary>
    protected abstract TChain TryChain();

    /// <summary>
    /// Resolves the open rows created before <paramref name="settledBefore"/>, oldest first, at most
    /// <see cref="InDoubtSweep.BatchSize"/>; stops early when the node does not answer (the resolver has logged why).
    /// Returns how many it looked up.
    /// </summary>
    protected abstract Task<int> SweepAsync(TChain chain, MarketDbContext db, DateTimeOffset settledBefore, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        if (interval == TimeSpan.Zero)
        {
            return;
        }
        TChain chain;
        try
        {
            chain = TryChain();
        }
        catch (DomainException)
        {
            return; // the feature is off here, so nothing of it can be in doubt
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

    private async Task SweepOnceAsync(TChain chain, CancellationToken stoppingToken)
    {
        try
        {
            await using var sweep = await AdvisoryLock.TryTakeAsync(dataSource, LockKey, stoppingToken);
            if (sweep is null)
            {
                logger.LogDebug("{Sweep} skipped: another instance is sweeping", Name);
                return;
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
            var looked = await SweepAsync(chain, db, clock.Now() - InDoubtSweep.MinimumAge, stoppingToken);
            logger.LogDebug("{Sweep} looked up {Count} in doubt", Name, looked);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(stoppingToken);
        }
        catch (Exception ex)
        {
            // Letting it escape would stop the whole host over a sweep that can simply run again.
            logger.LogWarning("{Sweep} of transactions in doubt failed ({Reason}); trying again in {Interval}", Name, ex.Message, Interval);
        }
    }
}
