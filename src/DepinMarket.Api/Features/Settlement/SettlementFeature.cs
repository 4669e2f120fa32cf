namespace DepinMarket.Api.Features.Settlement;

/// <summary>
/// Settlement on chain (docs/decisions/0018): payout and burn batches gathered in one transaction, each signed attempt
/// stored before broadcast with a nonce from PostgreSQL, confirmed or returned once its receipt is deep enough, one
/// instance at a time under a fenced lease; GET /v1/payouts and the operator's batches and run.
/// </summary>
public static class SettlementFeature
{
    /// <summary>EIP-7825's cap on one transaction's gas (2^24), in force on Osaka networks.</summary>
    public const long MaxTransactionGas = 16_777_216;

    public static WebApplicationBuilder AddSettlement(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SettlementOptions>().Bind(builder.Configuration.GetSection("Settlement"))
            .Validate(o => o.MaxRecipientsPerTransaction > 0 && o.GasBase + o.GasPerRecipient * o.MaxRecipientsPerTransaction <= MaxTransactionGas,
                $"Settlement: GasBase + GasPerRecipient × MaxRecipientsPerTransaction must stay within {MaxTransactionGas} gas, the most one transaction may use " +
                "on Sepolia and mainnet (EIP-7825; 476 recipients at the default gas figures, docs/PERFORMANCE.md \"Payout gas\"): a node refuses a larger one and its batch would never be paid.")
            .Validate(o => o.RunInterval > TimeSpan.Zero && o.TickInterval > TimeSpan.Zero, "Settlement:RunInterval and TickInterval must be positive.")
            .Validate(o => o.LeaseDuration > TimeSpan.FromSeconds(1), "Settlement:LeaseDuration must be over a second.")
            .Validate(o => o.ReplaceAfter > TimeSpan.Zero, "Settlement:ReplaceAfter must be positive.")
            .Validate(o => o.GasBase > 0 && o.GasPerRecipient > 0, "Settlement:GasBase and GasPerRecipient must be positive.")
            .Validate(o => !o.MinimumPayout.IsZero, "Settlement:MinimumPayoutTokens must be a token amount above zero (\"1\", \"0.5\").")
            .Validate(o => !o.MinimumBurn.IsZero, "Settlement:MinimumBurnTokens must be a token amount above zero.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SettlementLease>();
        builder.Services.AddSingleton<SettlementGather>();
        builder.Services.AddSingleton<BatchSender>();
        builder.Services.AddSingleton<SettlementOutcome>();
        builder.Services.AddSingleton<BatchTracker>();
        builder.Services.AddSingleton<SettlementWorker>();
        builder.Services.AddSingleton<SettlementReconciliation>();
        builder.Services.AddHostedService<SettlementService>();
        return builder;
    }

    public static WebApplication MapSettlement(this WebApplication app)
    {
        app.MapPayoutEndpoints();
        app.MapSettlementAdmin();
        return app;
    }
}
