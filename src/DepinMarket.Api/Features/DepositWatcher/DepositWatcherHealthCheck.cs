using DepinMarket.Api.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// Readiness of deposits: Degraded (not Unhealthy: the rest of the API serves) while this instance's watcher fails,
/// with how many blocks it was behind the node at its last success.
/// </summary>
internal sealed class DepositWatcherHealthCheck(MarketChain chain, DepositWatcherState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (chain.Client is null || chain.Vault is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No chain or vault configured: deposits are not watched."));
        }
        var (head, scanned, failure, since) = state.Now;
        var lag = head is { } h && scanned is { } s ? $"{h - s} block(s) behind the node's head {h}" : "lag unknown (no pass has succeeded yet)";
        return Task.FromResult(failure is null
            ? HealthCheckResult.Healthy(scanned is null ? "Deposit watcher starting (or another instance watches)." : $"Deposits credited to block {scanned}; {lag}.")
            : HealthCheckResult.Degraded($"Deposit watcher failing since {since:O} ({failure}); retrying; at last success {lag}."));
    }
}
