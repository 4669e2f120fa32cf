using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Rentals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// The moves of a rental's life. Each locks the rental row, lets the domain decide whether the move is allowed, and
/// writes the money, capacity, charge and event of the move in the same transaction. Those that move money take an
/// Idempotency-Key; the others are idempotent by state (accepting twice is a 409 saying it is active).
/// </summary>
public static class RentalActions
{
    public static WebApplication MapRentalActions(this WebApplication app)
    {
        var group = app.MapGroup("/v1/rentals/{id:guid}").WithTags("Rentals");

        Action(group.MapPost("/accept", Accept), "AcceptRental",
            "Provider: accept a pending rental, attaching access details only the client can read; the term starts now");
        Action(group.MapPost("/decline", Decline), "DeclineRental",
            "Provider: decline a pending rental; the client's escrow is refunded in full").RequireIdempotencyKey();
        Action(group.MapPost("/cancel", Cancel), "CancelRental",
            "Client: cancel a pending rental before the provider accepts; the escrow is refunded in full").RequireIdempotencyKey();
        Action(group.MapPost("/stop", Stop), "StopRental",
            "Client: stop a rental now; use up to now is charged and the unused escrow refunded to the base unit").RequireIdempotencyKey();
        Action(group.MapPost("/terminate", Terminate), "TerminateRental",
            "Provider: end a rental early (a provider fault); use up to now is charged and the rest refunded to the client").RequireIdempotencyKey();
        Action(group.MapPost("/extend", Extend), "ExtendRental",
            "Client: add hours (compute), days (storage) or budget (model); the extra price and fee move to escrow")
            .RequireIdempotencyKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status402PaymentRequired);
        Action(group.MapPut("/access", SetAccess), "SetRentalAccess",
            "Provider: replace the access details of an active rental")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static RouteHandlerBuilder Action(RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint.RequireAuthorization(Policies.Write).WithName(name).WithSummary(summary)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    internal static async Task<Ok<RentalResponse>> Accept(Guid id, AcceptRentalRequest? body, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var access = RentalAccess.Serialize(body?.Access);
        return await ChangeAsync(db, clock, id, user, RentalSide.Provider, "accept", (rental, work) =>
        {
            if (work.Now >= rental.AcceptBy && rental.Status == RentalStatus.Pending)
            {
                throw new DomainException(DomainErrorKind.Conflict, "Too late to accept.",
                    $"Rental {rental.Id} had to be accepted by {rental.AcceptBy:O}; it expires and its escrow goes back to the client.");
            }
            rental.Accept(access, work.Now);
            work.Event(rental, RentalEventType.Accepted, RentalActor.Provider, rental.EndsAt is { } end ? $"runs until {end:O}" : "budget open for usage");
        }, cancellationToken);
    }

    internal static Task<Ok<RentalResponse>> Decline(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(db, clock, id, user, RentalSide.Provider, "decline", (rental, work) =>
        {
            rental.Decline(work.Now);
            work.Ended(rental, RentalActor.Provider, $"{rental.Refunded} tokens refunded");
        }, cancellationToken);

    internal static Task<Ok<RentalResponse>> Cancel(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(db, clock, id, user, RentalSide.Client, "cancel", (rental, work) =>
        {
            rental.Cancel(work.Now);
            work.Ended(rental, RentalActor.Client, $"{rental.Refunded} tokens refunded");
        }, cancellationToken);

    internal static Task<Ok<RentalResponse>> Stop(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(db, clock, id, user, RentalSide.Client, "stop", (rental, work) =>
        {
            if (rental.Status == RentalStatus.Pending)
            {
                rental.Cancel(work.Now);
                work.Ended(rental, RentalActor.Client, $"{rental.Refunded} tokens refunded");
                return;
            }
            // An ended rental has nothing to meter: Complete refuses it with the 409 that says its status.
            var termOver = RentalMetering.MeterBeforeEnd(rental, work);
            rental.Complete(termOver ? RentalEndReason.TermEnded : RentalEndReason.ClientStopped, work.Now);
            work.Ended(rental, RentalActor.Client, $"{rental.Charged + rental.ChargedClientFee} tokens charged, {rental.Refunded} refunded");
        }, cancellationToken);

    internal static Task<Ok<RentalResponse>> Terminate(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(db, clock, id, user, RentalSide.Provider, "terminate", (rental, work) =>
        {
            RentalMetering.MeterBeforeEnd(rental, work);
            rental.Terminate(RentalEndReason.ProviderFault, work.Now);
            work.Ended(rental, RentalActor.Provider, $"ended by the provider; {rental.Refunded} tokens refunded");
        }, cancellationToken);

    internal static async Task<Ok<RentalResponse>> Extend(Guid id, ExtendRentalRequest body, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = user.AccountIdOf();
        var now = clock.Now();
        var rental = await RentalStore.LockAsync(db, id, caller, RentalSide.Client, "extend", cancellationToken);
        var terms = RentalTerms.ParseExtension(rental.Kind, body);
        var (usage, fee) = rental.IsTimeBilled ? rental.ExtendTerm(terms.TermSeconds(rental.Kind)) : rental.ExtendBudget(terms.Budget!.Value);
        await SpendCaps.CommitAsync(db, caller, usage + fee, now, cancellationToken);
        var work = new RentalWork(db, now);
        work.Escrow(rental, usage + fee);
        work.Event(rental, RentalEventType.Extended, RentalActor.Client,
            $"{(rental.IsTimeBilled ? $"term now {RentalEndpoints.Describe(rental)}" : $"budget now {rental.Escrowed}")}; {usage + fee} more tokens escrowed");
        await work.SaveAsync(cancellationToken);
        return TypedResults.Ok(RentalResponse.From(rental, caller));
    }

    internal static async Task<Ok<RentalResponse>> SetAccess(Guid id, RentalAccessRequest body, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var access = RentalAccess.Serialize(body.Access) ?? throw ValidationFailedException.For("access", "is required.");
        return await ChangeAsync(db, clock, id, user, RentalSide.Provider, "set the access details of", (rental, work) =>
        {
            rental.SetAccess(access);
            work.Event(rental, RentalEventType.AccessUpdated, RentalActor.Provider, null);
        }, cancellationToken);
    }

    /// <summary>Locks the rental, applies <paramref name="change"/> and writes everything it recorded, in the request's transaction.</summary>
    private static async Task<Ok<RentalResponse>> ChangeAsync(MarketDbContext db, TimeProvider clock, Guid id, ClaimsPrincipal user, RentalSide side,
        string action, Action<Rental, RentalWork> change, CancellationToken cancellationToken)
    {
        var caller = user.AccountIdOf();
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (ownTransaction)
        {
            var rental = await RentalStore.LockAsync(db, id, caller, side, action, cancellationToken);
            var work = new RentalWork(db, clock.Now());
            await work.LoadLivenessAsync([rental], cancellationToken);
            change(rental, work);
            await work.SaveAsync(cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
            return TypedResults.Ok(RentalResponse.From(rental, caller));
        }
    }
}
