using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Rentals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// Model usage: the provider reports each request it served (request id, tokens in and out); each report is charged
/// once at the offer's per-token prices. Reports of one rental queue on its row lock, so concurrent reports are
/// charged one after the other; a repeated request id answers the first charge (200) and moves nothing, and the same
/// id with other token counts is a 409. A report that spends the budget ends the rental (terminated: insufficient
/// funds) with nothing owed either way.
/// </summary>
public static class UsageReports
{
    public const long MaxTokensPerReport = 100_000_000;

    public static WebApplication MapUsageReports(this WebApplication app)
    {
        app.MapPost("/v1/rentals/{id:guid}/usage", Report)
            .WithTags("Rentals")
            .RequireAuthorization(Policies.Write)
            .WithName("ReportRentalUsage")
            .WithSummary("Provider: report one served request of a model rental (idempotent per requestId); it is charged at the offer's token prices")
            .WithDescription("201 with the charge; 200 with the same charge when this requestId was reported before with the same counts; " +
                "409 when it was reported with other counts, or the rental is not active.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<Results<Created<RentalChargeResponse>, Ok<RentalChargeResponse>>> Report(
        Guid id, UsageReportRequest body, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        Validate(body);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rental = await RentalStore.LockAsync(db, id, user.AccountIdOf(), RentalSide.Provider, "report usage for", cancellationToken);
        var earlier = await db.RentalCharges.AsNoTracking().SingleOrDefaultAsync(c => c.RentalId == id && c.RequestId == body.RequestId, cancellationToken);
        if (earlier is not null)
        {
            return earlier.SameReport(body.InputTokens, body.OutputTokens)
                ? TypedResults.Ok(RentalChargeResponse.From(earlier, rental))
                : throw new DomainException(DomainErrorKind.Conflict, "Request id already reported.",
                    $"Request {body.RequestId} of rental {id} was reported with {earlier.InputTokens} input and {earlier.OutputTokens} output tokens; a report is charged once per request id.");
        }
        var now = clock.Now();
        // A time-billed rental has no token prices: ChargeUsage refuses it (409) rather than pricing it.
        var cost = rental.OutputUnitPrice is { } outputPrice
            ? RentalPricing.Model(rental.UnitPrice, outputPrice, body.InputTokens, body.OutputTokens)
            : Domain.Money.TokenAmount.Zero;
        var (split, spent) = rental.ChargeUsage(cost);
        var work = new RentalWork(db, now);
        RentalCharge? charge = null;
        if (split.IsZero)
        {
            // Every charge is a journal, and a journal moves at least one base unit; a request that costs less is
            // refused rather than recorded as free (the provider can report requests together under one id).
            throw ValidationFailedException.For("inputTokens", "these tokens cost less than one base unit at this offer's prices; report requests together under one id.");
        }
        work.Charge(rental, split, journal => charge = RentalCharge.Reported(rental, journal, body.RequestId, body.InputTokens, body.OutputTokens, split, now));
        RentalMetering.Warn(rental, work);
        if (spent)
        {
            rental.Complete(RentalEndReason.InsufficientFunds, now);
            work.Ended(rental, RentalActor.Market, "the budget is spent");
        }
        await work.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/rentals/{id}/charges", RentalChargeResponse.From(charge!, rental));
    }

    private static void Validate(UsageReportRequest body)
    {
        var v = new Validation();
        v.NotBlank(body.RequestId, "requestId", RentalCharge.MaxRequestIdLength);
        v.InRange(body.InputTokens, 0, MaxTokensPerReport, "inputTokens");
        v.InRange(body.OutputTokens, 0, MaxTokensPerReport, "outputTokens");
        v.Require(body.InputTokens + body.OutputTokens > 0, "inputTokens", "a report needs at least one input or output token.");
        v.ThrowIfInvalid();
    }
}
