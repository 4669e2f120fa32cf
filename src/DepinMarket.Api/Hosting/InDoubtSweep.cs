using DepinMarket.Api.Data;
using DepinMarket.Domain;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>What every <see cref="InDoubtSweep{TChain, TRow}"/> shares.</summary>
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
internal abstract class InDoubtSweep<TChain, TRow>(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider clock, ILogger logger)
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

    /// <summary>The open rows created before <paramref name="settledBefore"/>, oldest first, at most <see cref="InDoubtSweep.BatchSize"/>.</summary>
    protected abstract Task<List<TRow>> OpenAsync(MarketDbContext db, DateTimeOffset settledBefore, CancellationToken stoppingToken);

    /// <summary>The feature's resolver: settles a row if the chain can tell; false when the node could not be reached (it has logged why).</summary>
    protected abstract Func<TRow, CancellationToken, Task<bool>> Resolver(TChain chain, MarketDbContext db);

    /// <summary>A row's id, transaction hash and status, for the log line of a row that settled.</summary>
    protected abstract (object Id, string? TransactionHash, object Status) Describe(TRow row);

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
            var looked = await SweepAsync(chain, db, stoppingToken);
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

    /// <summary>Resolves the open rows one by one; stops at the first the node could not tell about, since the others would only wait on it too.</summary>
    private async Task<int> SweepAsync(TChain chain, MarketDbContext db, CancellationToken stoppingToken)
    {
        var rows = await OpenAsync(db, clock.Now() - InDoubtSweep.MinimumAge, stoppingToken);
        var resolve = Resolver(chain, db);
        var looked = 0;
        foreach (var row in rows)
        {
            looked++;
            var before = Describe(row).Status;
            if (!await resolve(row, stoppingToken))
            {
                break;
            }
            var (id, hash, status) = Describe(row);
            if (!Equals(status, before))
            {
                logger.LogInformation("{Sweep}: {Id} ({TransactionHash}) settled in the background as {Status}", Name, id, hash, status);
            }
        }
        return looked;
    }
}
