using System.Globalization;
using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// What the validators' consensus said, for any API key: an offer's latest score and recent history, and one closed
/// epoch in full (offers ranked, every validator's weight, divergence and trust), enough to recompute it with the
/// settings it names.
/// </summary>
public static class ModelScoreEndpoints
{
    /// <summary>Closed epochs of an offer's history shown (a day of one-hour epochs).</summary>
    public const int HistoryLength = 24;

    private sealed record Cursor(int Rank, double? Quality, Guid OfferId);

    public static WebApplication MapModelScoreEndpoints(this WebApplication app)
    {
        app.MapGet("/v1/offers/model/{id:guid}/scores", OfferScores).WithTags("Model scores")
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery()
            .WithName("GetModelOfferScores")
            .WithSummary($"A model offer's consensus scores: the latest closed epoch that scored it, and up to {HistoryLength} such epochs, newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/v1/model-scores/epochs/{epoch}", Epoch).WithTags("Model scores")
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery("limit", "cursor")
            .WithName("GetModelScoreEpoch")
            .WithSummary("One closed epoch: offers ranked by consensus quality (keyset pages: limit ≤ 500, cursor) and every validator's weight, divergence and trust before and after")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<OfferScoresResponse>> OfferScores(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var callerId = user.AccountIdOf();
        var offer = await db.ModelOffers.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.ProviderId, o.Status }).SingleOrDefaultAsync(cancellationToken);
        // Another provider's draft does not exist for the caller, as on GET /v1/offers/model/{id}.
        if (offer is null || (offer.Status == OfferStatus.Draft && offer.ProviderId != callerId))
        {
            throw new DomainException(DomainErrorKind.NotFound, "Offer not found.", $"No model offer {id}.");
        }
        var history = await db.Set<ModelScoreResultRecord>().AsNoTracking().Where(r => r.OfferId == id)
            .OrderByDescending(r => r.Epoch).Take(HistoryLength).ToListAsync(cancellationToken);
        var scores = history.Select(r => new OfferEpochScore(r.Epoch, r.Quality, r.Latency, r.QualityMedian, r.LatencyMedian, r.Validators)).ToArray();
        return TypedResults.Ok(new OfferScoresResponse(id, scores.FirstOrDefault(), scores));
    }

    // The number is read as text, so a malformed one is a 400 naming it rather than a 404 from the router.
    internal static async Task<Ok<ModelScoreEpochResponse>> Epoch(string epoch, HttpRequest request, MarketDbContext db, IOptions<ValidatorOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw ValidationFailedException.For("epoch", $"must be an epoch number (a whole number from 0); got \"{epoch}\".");
        }
        var limit = PageLimit.FromQuery(request.Query, 100, 500);
        var cursor = OpaqueCursor.FromQuery<Cursor>(request.Query, c => c.Rank >= 1 && c.OfferId != Guid.Empty && c.Quality is null or (>= 0 and <= 1));
        var closed = await db.Set<ModelScoreEpochRecord>().AsNoTracking().SingleOrDefaultAsync(e => e.Epoch == number, cancellationToken)
            ?? throw await NotClosedAsync(db, options.Value, number, clock.Now(), cancellationToken);

        var results = db.Set<ModelScoreResultRecord>().AsNoTracking().Where(r => r.Epoch == number);
        if (cursor is { Quality: { } quality })
        {
            results = results.Where(r => r.Quality < quality || (r.Quality == quality && r.OfferId.CompareTo(cursor.OfferId) > 0) || r.Quality == null);
        }
        else if (cursor is not null)
        {
            results = results.Where(r => r.Quality == null && r.OfferId.CompareTo(cursor.OfferId) > 0);
        }
        var page = await results.Join(db.ModelOffers, r => r.OfferId, o => o.Id, (r, o) => new { Result = r, o.ProviderId, o.ModelId })
            .OrderBy(x => x.Result.Quality == null).ThenByDescending(x => x.Result.Quality).ThenBy(x => x.Result.OfferId)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        var firstRank = cursor is null ? 1 : cursor.Rank + 1;
        var offers = page.Take(limit).Select((x, i) => new RankedOfferScore(firstRank + i, x.Result.OfferId, x.ProviderId, x.ModelId, x.Result.Quality,
            x.Result.Latency, x.Result.QualityMedian, x.Result.LatencyMedian, x.Result.Validators)).ToArray();
        var next = page.Count > limit ? OpaqueCursor.Encode(new Cursor(offers[^1].Rank, offers[^1].Quality, offers[^1].OfferId)) : null;

        var outcomes = await db.Set<ModelScoreValidatorOutcomeRecord>().AsNoTracking().Where(o => o.Epoch == number).OrderBy(o => o.ValidatorId)
            .ToListAsync(cancellationToken);
        var totalWeight = outcomes.Sum(o => o.Weight);
        var validators = outcomes.Select(o => new ValidatorOutcomeResponse(o.ValidatorId, o.Stake, o.Weight, totalWeight > 0 ? o.Weight / totalWeight : 0,
            o.OffersScored, o.Divergence, o.TrustBefore, o.TrustAfter)).ToArray();
        return TypedResults.Ok(new ModelScoreEpochResponse(closed.Epoch, closed.StartsAt, closed.EndsAt, closed.ClosedAt,
            new ConsensusSettingsResponse(closed.ClipBand, closed.TrustLearningRate, closed.DivergenceScale), offers, next, validators));
    }

    /// <summary>Why an epoch has no results: it has not finished, nobody scored in it, or the closer has not reached it yet.</summary>
    private static async Task<DomainException> NotClosedAsync(MarketDbContext db, ValidatorOptions options, long number, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // Compared by number, not by time: an epoch number far past any date would overflow the grid's arithmetic.
        var current = options.CurrentEpoch(now);
        var detail = current is null ? $"Scoring has not started: epoch 0 starts at {options.Grid.Genesis:O}."
            : number >= current ? $"Epoch {number} has not finished; the current epoch is {current}."
            : await db.Set<ModelScoreRecord>().AnyAsync(s => s.Epoch == number, cancellationToken)
                ? $"Epoch {number} finished at {options.Grid.EndOf(number):O} and closes shortly (the closer runs every {options.CloseInterval})."
            : $"No validator scored in epoch {number}: it has no results.";
        return new DomainException(DomainErrorKind.NotFound, "No such closed epoch.", detail);
    }
}
