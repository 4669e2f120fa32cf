using DepinMarket.Api.Features.Ledger;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// The vault deposit watcher: credits confirmed Deposited logs through the ledger, holds unknown references in
/// suspense, shows deposits to their accounts and the held ones to the operator, reconciles the vault in the
/// ledger check, and reports in readiness. Call after AddMarketChain, AddMarketHealth and AddLedger.
/// </summary>
public static class DepositWatcherFeature
{
    public static WebApplicationBuilder AddDepositWatcher(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DepositWatcherOptions>().Bind(builder.Configuration.GetSection("Deposits"))
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Deposits:PollInterval must be positive.")
            .Validate(o => o.MaxBlockRange >= 1, "Deposits:MaxBlockRange must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IDepositReferenceResolver, AccountDepositReferenceResolver>();
        builder.Services.AddSingleton<DepositWatcherState>();
        // Without a vault there is nothing to reconcile, and the ledger check keeps saying so (its NotChecked note).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Chain:RpcUrl"]) && !string.IsNullOrWhiteSpace(builder.Configuration["Chain:VaultAddress"]))
        {
            builder.Services.AddSingleton<ILedgerCheckExtension, VaultReconciliation>();
        }
        builder.Services.AddHostedService<DepositWatcherService>();
        builder.Services.AddHealthChecks().AddCheck<DepositWatcherHealthCheck>("deposits", HealthStatus.Degraded, ["ready"]);
        return builder;
    }

    public static WebApplication MapDepositWatcher(this WebApplication app)
    {
        app.MapWatchedDeposits();
        return app;
    }
}
