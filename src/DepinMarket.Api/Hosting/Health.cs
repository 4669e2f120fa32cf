using System.Text.Json;
using DepinMarket.Api.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// /health/live: the process answers. /health/ready: it can serve, which needs PostgreSQL with the current
/// schema; the chain node only degrades readiness (docs/decisions/0007): search, accounts and offers work
/// without it, and one RPC outage must not take every instance out of the load balancer.
/// </summary>
public static class Health
{
    /// <summary>A check that has not answered by then counts as failed: a probe must answer while the outage lasts.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static WebApplicationBuilder AddMarketHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", HealthStatus.Unhealthy, ["ready"])
            .AddCheck<ChainReadyCheck>("chain", HealthStatus.Degraded, ["ready"]);
        return builder;
    }

    public static WebApplication MapMarketHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReport })
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>{"status":"Degraded","checks":{"database":{"status":"Healthy","description":"..."},"chain":{...}}}</summary>
    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    /// <summary>
    /// Runs <paramref name="check"/> but gives up after <see cref="CheckTimeout"/> even if the call it makes does not
    /// observe cancellation (a connection attempt to a server that accepts and never answers).
    /// </summary>
    internal static async Task<HealthCheckResult> WithinTimeout(Func<CancellationToken, Task<HealthCheckResult>> check, HealthStatus failure,
        string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            return await check(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, $"{what} did not answer within {CheckTimeout.TotalSeconds:0} s.");
        }
    }
}

/// <summary>Ready means PostgreSQL answers and every migration this build knows has been applied.</summary>
internal sealed class DatabaseReadyCheck(Migrator migrator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Health.WithinTimeout(async token =>
        {
            try
            {
                var pending = await migrator.PendingAsync(token);
                return pending.Count == 0
                    ? HealthCheckResult.Healthy("Database reachable; schema current.")
                    : HealthCheckResult.Unhealthy($"Migrations not applied: {string.Join(", ", pending)}. Run 'DepinMarket.Api migrate'.");
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return HealthCheckResult.Unhealthy("Database unreachable.");
            }
        }, HealthStatus.Unhealthy, "The database", cancellationToken);
}

/// <summary>
/// The configured chain's node answers with the configured chain id (no chain configured is fine). A node that
/// is down or serves another chain degrades readiness; it does not fail it.
/// </summary>
internal sealed class ChainReadyCheck(MarketChain chain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (chain.Client is not { } client)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No chain configured."));
        }
        return Health.WithinTimeout(async token =>
        {
            try
            {
                var id = await client.Eth.ChainIdAsync(token);
                return id == chain.Options.ChainId
                    ? HealthCheckResult.Healthy($"Chain {id} answers.")
                    : HealthCheckResult.Degraded($"The node serves chain {id}, not the configured {chain.Options.ChainId}.");
            }
            catch (Chain.Rpc.RpcException)
            {
                return HealthCheckResult.Degraded("The chain node does not answer; chain features (faucet) are unavailable.");
            }
        }, HealthStatus.Degraded, "The chain node", cancellationToken);
    }
}
