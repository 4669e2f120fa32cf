using System.Text.Json;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Stakes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Stakes;

/// <param name="RentalId">The model rental the report was charged to.</param>
/// <param name="RequestId">The usage report's request id.</param>
/// <param name="Evidence">How it was shown false (the endpoint's own logs, a validator's probe), up to 4,000 characters; kept with the slash.</param>
public sealed record FalseUsageRequest(Guid RentalId, string RequestId, string Evidence);

/// <summary>
/// A usage report shown false slashes the provider: the operator names the report and the evidence, and the provider's
/// stake pays Stakes:FalseUsagePenaltyBps of what the report charged, split between the client and burn like every
/// slash. The charge itself stays in the ledger (it may have been paid out on chain already): the slash is the remedy.
/// Once per report.
/// </summary>
public static class FalseUsageEndpoints
{
    public const int MaxEvidenceLength = 4000;

    public static WebApplication MapFalseUsageEndpoints(this WebApplication app)
    {
        app.MapPost("/v1/admin/slashes/false-usage", Slash).WithTags("Admin").RequireAuthorization(Policies.Operator).AcceptsQuery()
            .WithName("SlashFalseUsage")
            .WithSummary("Slash a provider for a usage report shown false (operator key): stake to the client and to burn, with the evidence")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<Created<SlashResponse>> Slash(FalseUsageRequest body, MarketDbContext db, Slasher slasher, IOptions<StakeOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validation();
        v.NotBlank(body.RequestId, "requestId", 200);
        v.NotBlank(body.Evidence, "evidence", MaxEvidenceLength);
        v.ThrowIfInvalid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rental = await db.Rentals.AsNoTracking().SingleOrDefaultAsync(r => r.Id == body.RentalId, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Rental not found.", $"There is no rental {body.RentalId}.");
        var charge = await db.RentalCharges.AsNoTracking().SingleOrDefaultAsync(c => c.RentalId == body.RentalId && c.RequestId == body.RequestId, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Usage report not found.", $"Rental {body.RentalId} was charged no usage report \"{body.RequestId}\".");
        var evidence = JsonSerializer.Serialize(new { rentalId = rental.Id, requestId = charge.RequestId, chargeId = charge.Id, charged = charge.Usage.ToString(), body.Evidence });
        var amount = charge.Usage.MulDiv(options.Value.FalseUsagePenaltyBps, 10_000).Quotient;
        var slash = await slasher.SlashAsync(db, rental.ProviderId, SlashReason.FalseUsage, $"false-usage:{rental.Id}:{charge.RequestId}", evidence,
                rental.Id, rental.ClientId, amount, clock.Now(), cancellationToken)
            ?? throw new DomainException(DomainErrorKind.Conflict, "Already slashed.", $"Usage report \"{body.RequestId}\" of rental {body.RentalId} was slashed before.");
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/slashes/{slash.Id}", SlashResponse.From(slash));
    }
}
