using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Trust;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Reputation;

/// <param name="Score">0 to 100, one decimal: the sum of the components' points.</param>
/// <param name="Components">What the score is made of, each with its value, weight, points and the rule in words.</param>
/// <param name="Inputs">The record it was computed from (uptime, rentals and proofs of 90 days, slashes of 30).</param>
public sealed record ReputationResponse(Guid ProviderId, decimal Score, IReadOnlyList<ReputationComponent> Components, ReputationInputs Inputs,
    DateTimeOffset ComputedAt);

public static class ReputationEndpoints
{
    public static WebApplication MapReputationEndpoints(this WebApplication app)
    {
        app.MapGet("/v1/providers/{id:guid}/reputation", Get).WithTags("Reputation").RequireAuthorization(Policies.Read).AcceptsQuery()
            .WithName("GetProviderReputation")
            .WithSummary("A provider's reputation 0-100 computed now, with its components (uptime, rentals, storage proofs, model score, slashes)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<ReputationResponse>> Get(Guid id, MarketDbContext db, ReputationInputsReader reader, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == id && a.IsProvider, cancellationToken))
        {
            throw new DomainException(DomainErrorKind.NotFound, "Provider not found.", $"There is no provider {id}.");
        }
        var inputs = (await reader.ReadAsync(db, [id], cancellationToken))[id];
        var reputation = ReputationScore.For(inputs);
        return TypedResults.Ok(new ReputationResponse(id, reputation.Score, reputation.Components, inputs, clock.Now()));
    }
}
