using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Withdrawals;

/// <summary>
/// Withdrawals: available tokens move to settling, where the settlement worker (a later issue) pays them to the
/// verified wallet; cancelled (settling back to available) while not yet in a batch. Both moves take an
/// Idempotency-Key and run in its transaction, which the middleware opened.
/// </summary>
public static class WithdrawalEndpoints
{
    public static WebApplication MapWithdrawals(this WebApplication app)
    {
        var group = app.MapGroup("/v1/withdrawals").WithTags("Money");

        group.MapPost("/", Request)
            .RequireAuthorization(Policies.Write)
            .RequireIdempotencyKey()
            .WithName("RequestWithdrawal")
            .WithSummary("Move available tokens to settling, to be paid to this account's verified wallet")
            .WithDescription("402 when the available balance is short (the body says how much is missing); 409 when the wallet is not verified.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", List)
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery()
            .WithName("ListWithdrawals")
            .WithSummary("This account's latest withdrawals, newest first (at most 100)");

        group.MapGet("/{id:guid}", Get)
            .RequireAuthorization(Policies.Read)
            .WithName("GetWithdrawal")
            .WithSummary("One of this account's withdrawals")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/cancel", Cancel)
            .RequireAuthorization(Policies.Write)
            .RequireIdempotencyKey()
            .WithName("CancelWithdrawal")
            .WithSummary("Cancel a withdrawal not yet in a payout batch: settling tokens go back to available")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    internal static async Task<Created<WithdrawalResponse>> Request(
        WithdrawalRequest body, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (body.Amount.IsZero)
        {
            throw ValidationFailedException.For("amount", "must be more than zero.");
        }
        var accountId = user.AccountIdOf();
        var wallet = await db.Accounts.Where(a => a.Id == accountId).Select(a => new { a.WalletAddress, a.WalletVerified }).SingleAsync(cancellationToken);
        if (!wallet.WalletVerified)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Wallet not verified.",
                "Withdrawals are paid to the account's verified wallet, and this account's wallet is not verified: " +
                "sign the message from POST /v1/auth/challenge and send it to POST /v1/auth/verify first.");
        }
        var now = clock.Now();
        var ledger = await MarketLedgerAccounts.EnsureAsync(db, accountId, cancellationToken);
        var id = Guid.CreateVersion7(now);
        var journal = JournalDraft.Transfer(JournalKind.Withdrawal, Withdrawal.ReferenceFor(id),
            ledger[LedgerAccountKind.Available], ledger[LedgerAccountKind.Settling], body.Amount);
        var journalId = await LedgerPoster.PostAsync(db, journal, now, cancellationToken);
        var withdrawal = Withdrawal.Request(id, accountId, body.Amount, wallet.WalletAddress, journalId!.Value, now);
        db.Withdrawals.Add(withdrawal);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/withdrawals/{id}", WithdrawalResponse.From(withdrawal));
    }

    internal static async Task<Ok<WithdrawalResponse[]>> List(ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var withdrawals = await db.Withdrawals.AsNoTracking().Where(w => w.AccountId == accountId)
            .OrderByDescending(w => w.RequestedAt).ThenByDescending(w => w.Id).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(withdrawals.Select(WithdrawalResponse.From).ToArray());
    }

    internal static async Task<Ok<WithdrawalResponse>> Get(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var withdrawal = await db.Withdrawals.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id && w.AccountId == accountId, cancellationToken)
            ?? throw NotFound(id);
        return TypedResults.Ok(WithdrawalResponse.From(withdrawal));
    }

    internal static async Task<Ok<WithdrawalResponse>> Cancel(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        // Locked, so a cancel racing another cancel (or the batcher) sees the status the winner left.
        var withdrawal = (await db.Withdrawals
                .FromSql($"select * from withdrawals where id = {id} and account_id = {accountId} for update")
                .ToListAsync(cancellationToken))
            .SingleOrDefault() ?? throw NotFound(id);
        withdrawal.EnsureCancellable();
        var now = clock.Now();
        var ledger = await MarketLedgerAccounts.EnsureAsync(db, accountId, cancellationToken);
        var journal = JournalDraft.Transfer(JournalKind.WithdrawalCancel, Withdrawal.ReferenceFor(id),
            ledger[LedgerAccountKind.Settling], ledger[LedgerAccountKind.Available], withdrawal.Amount);
        var journalId = await LedgerPoster.PostAsync(db, journal, now, cancellationToken);
        withdrawal.Cancel(journalId!.Value, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WithdrawalResponse.From(withdrawal));
    }

    private static DomainException NotFound(Guid id) =>
        new(DomainErrorKind.NotFound, "Withdrawal not found.", $"This account has no withdrawal {id}.");
}
