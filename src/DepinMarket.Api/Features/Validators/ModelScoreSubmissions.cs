using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// POST /v1/model-scores: a validator's scores of model offers (quality and latency, 0 to 1) for the current epoch.
/// Each score is upserted on (epoch, validator, offer): a resubmission in the epoch replaces the offers it names and
/// leaves the others, so a validator with more offers than one request holds sends several. A validator never scores
/// its own offers: its score would be a vote for itself.
/// </summary>
public static class ModelScoreSubmissions
{
    /// <summary>Scores in one request; 500 of them fit well within the 64 KiB body limit.</summary>
    public const int MaxScores = 500;

    // xmax is 0 on a row the statement inserted and the writing transaction's id on one it updated: how an upsert
    // tells the replaced scores from the new ones.
    private const string UpsertSql = """
        insert into model_scores (epoch, validator_id, offer_id, quality, latency, submitted_at)
        select @epoch, @validator, s.offer, s.quality, s.latency, @now
        from unnest(@offers, @qualities, @latencies) as s(offer, quality, latency)
        on conflict (epoch, validator_id, offer_id) do update
            set quality = excluded.quality, latency = excluded.latency, submitted_at = excluded.submitted_at
        returning xmax::text <> '0'
        """;

    public static WebApplication MapModelScoreSubmissions(this WebApplication app)
    {
        app.MapPost("/v1/model-scores", Submit).WithTags("Model scores")
            .RequireAuthorization(Policies.Write)
            .AcceptsQuery()
            .WithName("SubmitModelScores")
            .WithSummary("A validator's scores (quality, latency: 0 to 1) of other providers' model offers for the current epoch; a later submission replaces the offers it names")
            .WithDescription("403 for an account without the validator role or whose role was revoked; 409 for an epoch other than the current one (with \"currentEpoch\").")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<Ok<ModelScoreSubmissionResponse>> Submit(ModelScoreSubmission body, ClaimsPrincipal user, MarketDbContext db,
        ScoringEpochs epochs, IOptions<ValidatorOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validatorId = user.AccountIdOf();
        await RequireActiveValidatorAsync(db, validatorId, cancellationToken);
        var now = clock.Now();
        var epoch = epochs.RequireCurrent(body.Epoch, now);
        await CheckAsync(body.Scores, validatorId, db, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        await ModelScoreEpochLock.SharedAsync(connection, npgsqlTransaction, epoch, cancellationToken);
        if (await db.Set<ModelScoreEpochRecord>().AnyAsync(e => e.Epoch == epoch, cancellationToken))
        {
            // The epoch ended while this request was on its way, and the closer got there first.
            throw new DomainException(DomainErrorKind.Conflict, "Epoch closed.",
                $"Epoch {epoch} ended and was closed while these scores were on their way; they were not stored. Send them again for the current epoch.");
        }
        var replaced = await UpsertAsync(connection, npgsqlTransaction, epoch, validatorId, body.Scores, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new ModelScoreSubmissionResponse(epoch, body.Scores.Count, replaced, now, options.Value.Grid.EndOf(epoch)));
    }

    /// <exception cref="DomainException">403 naming why: the account never had the role, or it was revoked.</exception>
    private static async Task RequireActiveValidatorAsync(MarketDbContext db, Guid accountId, CancellationToken cancellationToken)
    {
        var validator = await db.Set<ValidatorRecord>().AsNoTracking().SingleOrDefaultAsync(v => v.AccountId == accountId, cancellationToken);
        if (validator is null)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Not a validator.",
                "This account does not have the validator role: only accounts the operator granted it may submit model scores.");
        }
        if (validator.RevokedAt is { } revokedAt)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Validator role revoked.",
                $"This account's validator role was revoked at {revokedAt:O}: it may no longer submit model scores.");
        }
    }

    /// <summary>Every wrong field of the scores in one 400: the count, each range, repeated offers, and offers that may not be scored.</summary>
    private static async Task CheckAsync(IReadOnlyList<ModelScoreEntry> scores, Guid validatorId, MarketDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Validation();
        if (scores.Count is 0 or > MaxScores)
        {
            errors.Add("scores", $"must hold 1 to {MaxScores} scores; got {scores.Count}. Send more in further requests: each offer's latest score in the epoch counts.");
            errors.ThrowIfInvalid();
        }
        var firstAt = new Dictionary<Guid, int>();
        for (var i = 0; i < scores.Count; i++)
        {
            ScoreRange.Check(errors, scores[i].Quality, $"scores[{i}].quality");
            ScoreRange.Check(errors, scores[i].Latency, $"scores[{i}].latency");
            if (!firstAt.TryAdd(scores[i].OfferId, i))
            {
                errors.Add($"scores[{i}].offerId", $"names offer {scores[i].OfferId} again (as scores[{firstAt[scores[i].OfferId]}] does); score each offer once per submission.");
            }
        }

        var ids = firstAt.Keys.ToArray();
        var offers = await db.ModelOffers.AsNoTracking().Where(o => ids.Contains(o.Id))
            .Select(o => new { o.Id, o.ProviderId, o.Status })
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        foreach (var (id, i) in firstAt)
        {
            var field = $"scores[{i}].offerId";
            if (offers.TryGetValue(id, out var offer) && offer.ProviderId == validatorId)
            {
                errors.Add(field, $"is this account's own offer ({id}): a validator may not score its own offers.");
            }
            // Another provider's draft is answered like an offer that does not exist: the answer never confirms what the caller may not see.
            else if (offer is null || offer.Status is OfferStatus.Draft or OfferStatus.Retired)
            {
                errors.Add(field, $"is not a model offer that can be scored: no published (active or paused) model offer has id {id}.");
            }
        }
        errors.ThrowIfInvalid();
    }

    /// <returns>How many of the scores replaced one stored earlier in the epoch.</returns>
    private static async Task<int> UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long epoch, Guid validatorId,
        IReadOnlyList<ModelScoreEntry> scores, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpsertSql, connection, transaction);
        command.Parameters.AddWithValue("epoch", epoch);
        command.Parameters.AddWithValue("validator", validatorId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter("offers", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = scores.Select(s => s.OfferId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("qualities", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = scores.Select(s => s.Quality).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("latencies", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = scores.Select(s => s.Latency).ToArray() });
        var replaced = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            replaced += reader.GetBoolean(0) ? 1 : 0;
        }
        return replaced;
    }
}
