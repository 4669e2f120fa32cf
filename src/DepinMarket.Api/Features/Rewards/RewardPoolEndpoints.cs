using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>
/// POST /v1/rewards/pool: how the pool is funded (docs/decisions/0019). The funder deposits to the vault for its own
/// account as any client does (the watcher credits it once confirmed), then gives available tokens to the pool, so
/// every pool token is a token the vault holds and the vault reconciliation needs no new term.
/// </summary>
public static class RewardPoolEndpoints
{
    public static WebApplication MapRewardPool(this WebApplication app)
    {
        app.MapPost("/v1/rewards/pool", Fund).WithTags("Rewards")
            .RequireAuthorization(Policies.Write)
            .RequireIdempotencyKey()
            .WithName("FundRewardPool")
            .WithSummary("Give available tokens of this account to the rewards pool, from which epochs emit (not refundable)")
            .WithDescription("402 when the available balance is short (the body says how much is missing).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status402PaymentRequired);
        return app;
    }

    internal static async Task<Ok<RewardFundingResponse>> Fund(RewardFundingRequest body, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (body.Amount.IsZero)
        {
            throw ValidationFailedException.For("amount", "must be more than zero.");
        }
        var now = clock.Now();
        var ledger = await MarketLedgerAccounts.EnsureAsync(db, user.AccountIdOf(), cancellationToken);
        var id = Guid.CreateVersion7(now);
        var journal = JournalDraft.Transfer(JournalKind.RewardFunding, $"reward-funding:{id}", ledger[LedgerAccountKind.Available],
            PlatformLedgerAccounts.Rewards, body.Amount);
        var journalId = await LedgerPoster.PostAsync(db, journal, now, cancellationToken);
        var pool = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == PlatformLedgerAccounts.Rewards).Select(a => a.Balance).SingleAsync(cancellationToken);
        return TypedResults.Ok(new RewardFundingResponse(id, body.Amount, journalId!.Value, new TokenAmount(pool.BaseUnits)));
    }
}
