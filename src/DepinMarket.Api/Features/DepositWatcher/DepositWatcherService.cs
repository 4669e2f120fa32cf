using DepinMarket.Api.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// Every Deposits:PollInterval, runs a <see cref="DepositScanner"/> pass under a PostgreSQL advisory lock, so with
/// several API instances one works at a time and the others skip the tick. A node or database that does not answer
/// is logged, recorded for readiness, and tried again on the next tick. Off without a chain or a vault address.
/// </summary>
internal sealed class DepositWatcherService(
    MarketChain chain, NpgsqlDataSource dataSource, IDepositReferenceResolver resolver, IOptions<DepositWatcherOptions> options,
    IConfiguration configuration, DepositWatcherState state, TimeProvider clock, ILogger<DepositWatcherService> logger) : BackgroundService
{
    /// <summary>"depositw": the key of the watcher's advisory lock.</summary>
    public const long LockKey = 0x6465706f73697477;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (chain.Client is not { } client || chain.Vault is not { } vault)
        {
            return;
        }
        var deployedAt = configuration.GetValue<ulong?>("Chain:DeployedAtBlock") ?? 0;
        var scanner = new DepositScanner(client, client.GetContractHandler(vault), chain.Options, options.Value, deployedAt, dataSource, resolver, clock, logger);
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        try
        {
            do
            {
                await TickAsync(scanner, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task TickAsync(DepositScanner scanner, CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
            if (!await TryLockAsync(connection, "select pg_try_advisory_lock(@key)", stoppingToken))
            {
                return; // another instance is watching
            }
            try
            {
                var (head, scanned) = await scanner.RunAsync(stoppingToken);
                state.Succeeded(head, scanned);
            }
            finally
            {
                // Released explicitly: a pooled connection is not reset at once when it goes back to the pool.
                await TryLockAsync(connection, "select pg_advisory_unlock(@key)", CancellationToken.None);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(stoppingToken);
        }
        catch (Exception ex)
        {
            // Letting it escape would stop the host over a pass that can simply run again.
            state.Failed(ex.Message, clock.Now());
            logger.LogWarning("Deposit watcher pass failed ({Reason}); trying again in {Interval}", ex.Message, options.Value.PollInterval);
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", LockKey);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
