using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// A background job run on a timer (the metering worker, the webhook deliveries, the idempotency cleanup): one run per
/// tick of <see cref="Interval"/> on the host's clock. A run that fails is logged and the next tick tries again: a
/// database that is down (readiness reports it) as a warning, anything else, a bug, as an error with its stack,
/// because an exception escaping a BackgroundService stops the whole API with it.
/// </summary>
public abstract class PeriodicService(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The host's clock (the tests' manual one), for the job's own sense of now.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>What the log lines call the job ("Metering").</summary>
    protected abstract string Name { get; }

    /// <summary>How often it runs; null leaves it off (tests that run it by hand).</summary>
    protected abstract TimeSpan? Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval is not { } interval)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, Clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or DbUpdateException)
            {
                // The database is down or a batch collided with another writer; the next tick retries.
                logger.LogWarning("{Job} run failed: {Message}", Name, ex.Message);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "{Job} run failed", Name);
            }
        }
    }
}
