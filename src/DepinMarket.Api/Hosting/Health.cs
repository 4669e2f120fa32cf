using DepinMarket.Api.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepinMarket.Api.Hosting;

public static class Health
{
    public static WebApplicationBuilder AddMarketHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"])
            .AddCheck<ChainReadyCheck>("chain", tags: ["ready"]);
        return builder;
    }

    /// <summary>/health/live: the process answers. /health/ready: it can serve (database up, schema current).</summary>
    public static WebApplication MapMarketHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

/// <summary>Ready means PostgreSQL answers and every migration this build knows has been applied.</summary>
internal sealed class DatabaseReadyCheck(Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await migrator.PendingAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Database reachable; schema current.")
                : HealthCheckResult.Unhealthy($"Migrations not applied: {string.Join(", ", pending)}. Run 'DepinMarket.Api migrate'.");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable.");
        }
    }
}

/// <summary>Ready means the configured chain's node answers with the configured chain id (no chain configured is fine).</summary>
internal sealed class ChainReadyCheck(MarketChain chain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (chain.Client is null)
        {
            return HealthCheckResult.Healthy("No chain configured.");
        }
        try
        {
            var id = await chain.Client.Eth.ChainIdAsync(cancellationToken);
            return id == chain.Options.ChainId
                ? HealthCheckResult.Healthy($"Chain {id} answers.")
                : HealthCheckResult.Unhealthy($"The node serves chain {id}, not the configured {chain.Options.ChainId}.");
        }
        catch (Chain.Rpc.RpcException)
        {
            return HealthCheckResult.Unhealthy("The chain node does not answer.");
        }
    }
}
