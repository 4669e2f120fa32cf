using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Features.Withdrawals;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>
/// The double-entry ledger (docs/decisions/0010): balances, statements, withdrawals and the operator's check, with
/// Idempotency-Key on every money-moving POST. Other features post through <see cref="LedgerPoster"/>.
/// </summary>
public static class LedgerFeature
{
    public static WebApplicationBuilder AddLedger(this WebApplicationBuilder builder)
    {
        builder.AddIdempotencyKeys();
        builder.Services.AddSingleton<LedgerCheck>();
        return builder;
    }

    /// <summary>Call after UseAuthorization: the Idempotency-Key middleware needs the caller's account.</summary>
    public static WebApplication MapLedger(this WebApplication app)
    {
        app.UseIdempotencyKeys();
        app.MapLedgerEndpoints();
        app.MapWithdrawals();
        return app;
    }
}
