using Npgsql;

namespace DepinMarket.Api.Auth;

/// <summary>
/// Runs on every instance: LISTENs on <see cref="ApiKeyChanges.Channel"/> over a dedicated connection (not one of
/// the pool's, which are handed from request to request) and evicts what each notification names from the
/// <see cref="ApiKeyCache"/>. The cache answers only while this connection is up; when it drops (PostgreSQL
/// restarted, the backend terminated, the network gone: Npgsql's keepalive query notices a silent loss within
/// <see cref="KeepAliveSeconds"/>), the cache is emptied and switched off and the listener reconnects with
/// exponential backoff and jitter.
/// </summary>
public sealed class ApiKeyChangeListener(ApiKeyCache cache, IConfiguration configuration, ILogger<ApiKeyChangeListener> logger)
    : BackgroundService
{
    /// <summary>How the listener's backend shows in pg_stat_activity (tests and operators can find it).</summary>
    public const string ApplicationName = "DepinMarket API-key cache listener";

    private const int KeepAliveSeconds = 10;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!cache.IsEnabled)
        {
            return; // Auth:KeyCacheSeconds = 0: every request asks the database, nothing to invalidate
        }
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Market"))
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            KeepAlive = KeepAliveSeconds,
        }.ConnectionString;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, () => retry = FirstRetry, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // shutting down: however the wait ended, that is not an outage worth a warning
            }
            catch (Exception ex)
            {
                // Whatever broke the connection, the answer is the same: stay deaf (the cache stays off) and retry.
                // Letting it escape would stop the whole host over a listener that can recover on its own.
                logger.LogWarning("API-key cache off: the change listener is not connected ({Reason}); every request asks the database. Retrying in about {Delay} ms.",
                    ex.Message, (int)retry.TotalMilliseconds);
            }
            try
            {
                await Task.Delay(retry * (0.75 + (Random.Shared.NextDouble() / 2)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private async Task ListenAsync(string connectionString, Action connected, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, e) => cache.Evict(ApiKeyChange.Parse(e.Payload));
        try
        {
            await connection.OpenAsync(stoppingToken);
            await using (var listen = new NpgsqlCommand($"LISTEN {ApiKeyChanges.Channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken);
            }
            // LISTEN is in force: every change committed from here on reaches us, so the cache may answer.
            cache.StartServing();
            connected();
            logger.LogInformation("API-key cache on: listening for key changes");
            while (true)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }
        finally
        {
            cache.StopServing();
        }
    }
}
