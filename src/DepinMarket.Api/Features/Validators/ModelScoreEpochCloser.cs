using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// Closes every finished epoch that has scores, in order and each once: per dimension (quality, latency) the scores
/// of the validators active at close go through <see cref="ScoreConsensus.Compute"/> with each one's stake now and
/// trust now; each offer's consensus and each validator's outcome are stored and its trust moves to the mean of the
/// two dimensions' new trust. An epoch nobody scored has nothing to close and leaves no row.
/// <para>
/// Once per epoch across instances: the epoch's <c>model_score_epochs</c> row is inserted first, ON CONFLICT DO
/// NOTHING, in the transaction that writes everything else, so a second closer finds it taken and writes nothing.
/// The epoch's exclusive lock (<see cref="ModelScoreEpochLock"/>) makes the second wait for the first to commit and
/// keeps a late submission from landing after the scores were read. Epochs close in order because trust carries
/// from one to the next.
/// </para>
/// </summary>
public sealed class ModelScoreEpochCloser(IServiceScopeFactory scopes, IOptions<ValidatorOptions> options, TimeProvider clock,
    ILogger<ModelScoreEpochCloser> logger)
{
    // After the last closed epoch: closes go in order and a finished epoch takes no more scores, so nothing before it is open.
    private const string NextSql = """
        select s.epoch from model_scores s
        where s.epoch < @current and s.epoch > coalesce((select max(epoch) from model_score_epochs), -1)
        order by s.epoch limit 1
        """;

    private const string ClaimSql = """
        insert into model_score_epochs (epoch, starts_at, ends_at, clip_band, trust_learning_rate, divergence_scale, closed_at)
        values (@epoch, @starts, @ends, @band, @rate, @scale, @now)
        on conflict (epoch) do nothing
        """;

    /// <summary>Closes every due epoch (up to Validators:MaxEpochsPerRun).</summary>
    /// <returns>The epochs this run closed, in order; another closer's are not among them.</returns>
    public async Task<IReadOnlyList<long>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var closed = new List<long>();
        for (var attempt = 0; attempt < options.Value.MaxEpochsPerRun; attempt++)
        {
            var (epoch, closedHere) = await CloseNextAsync(cancellationToken);
            if (epoch is null)
            {
                break;
            }
            if (closedHere)
            {
                closed.Add(epoch.Value);
            }
        }
        return closed;
    }

    /// <returns>The next epoch due (null: none) and whether this call closed it (false: another closer did).</returns>
    private async Task<(long? Epoch, bool Closed)> CloseNextAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.Now();
        if (o.CurrentEpoch(now) is not { } current)
        {
            return (null, false);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();

        var last = await db.Set<ModelScoreEpochRecord>().AsNoTracking().OrderByDescending(e => e.Epoch).FirstOrDefaultAsync(cancellationToken);
        if (last is not null && (last.StartsAt, last.EndsAt) != (o.Grid.StartOf(last.Epoch), o.Grid.EndOf(last.Epoch)))
        {
            // Submissions were numbered on the old grid: closing on the new one would mix up which scores belong together.
            logger.LogError("Model scores: epoch {Epoch} was closed as {Start:O} to {End:O}, which Validators:Genesis and EpochLength no longer give; " +
                "they changed after epochs closed. Nothing closes until they are restored.", last.Epoch, last.StartsAt, last.EndsAt);
            return (null, false);
        }
        if (await ScalarAsync(connection, npgsqlTransaction, NextSql, cancellationToken, ("current", current)) is not long epoch)
        {
            return (null, false);
        }
        await ModelScoreEpochLock.ExclusiveAsync(connection, npgsqlTransaction, epoch, cancellationToken);
        var settings = o.Consensus;
        var claimed = await ExecuteAsync(connection, npgsqlTransaction, ClaimSql, cancellationToken, ("epoch", epoch), ("starts", o.Grid.StartOf(epoch)),
            ("ends", o.Grid.EndOf(epoch)), ("band", settings.ClipBand), ("rate", settings.TrustLearningRate), ("scale", settings.DivergenceScale), ("now", now));
        if (claimed == 0)
        {
            return (epoch, false);
        }

        // Validators revoked before the close are left out: revoking is the operator saying their scores should not count.
        var scores = await db.Set<ModelScoreRecord>().AsNoTracking()
            .Where(s => s.Epoch == epoch && db.Set<ValidatorRecord>().Any(v => v.AccountId == s.ValidatorId && v.RevokedAt == null))
            .ToListAsync(cancellationToken);
        var ids = scores.Select(s => s.ValidatorId).Distinct().ToArray();
        var validators = await db.Set<ValidatorRecord>().Where(v => ids.Contains(v.AccountId)).ToDictionaryAsync(v => v.AccountId, cancellationToken);
        var stakes = await ValidatorStakes.ReadAsync(db, ids, cancellationToken);

        ValidatorScores[] Dimension(Func<ModelScoreRecord, double> score) => scores.GroupBy(s => s.ValidatorId)
            .Select(g => new ValidatorScores(g.Key, stakes[g.Key], validators[g.Key].Trust, g.ToDictionary(s => s.OfferId, score)))
            .ToArray();
        var quality = ScoreConsensus.Compute(Dimension(s => s.Quality), settings);
        var latency = ScoreConsensus.Compute(Dimension(s => s.Latency), settings);

        var latencyOf = latency.Offers.ToDictionary(r => r.OfferId);
        db.AddRange(quality.Offers.Select(q => new ModelScoreResultRecord
        {
            Epoch = epoch, OfferId = q.OfferId, Quality = q.Score, QualityMedian = q.Median,
            Latency = latencyOf[q.OfferId].Score, LatencyMedian = latencyOf[q.OfferId].Median, Validators = q.Validators,
        }));
        var latencyOutcome = latency.Validators.ToDictionary(v => v.ValidatorId);
        foreach (var q in quality.Validators)
        {
            var l = latencyOutcome[q.ValidatorId];
            var trustAfter = Math.Clamp((q.NewTrust + l.NewTrust) / 2, 0, 1);
            db.Add(new ModelScoreValidatorOutcomeRecord
            {
                Epoch = epoch, ValidatorId = q.ValidatorId, Stake = stakes[q.ValidatorId], Weight = q.EffectiveWeight, OffersScored = q.OffersScored,
                Divergence = Mean(q.Divergence, l.Divergence), TrustBefore = q.Trust, TrustAfter = trustAfter,
            });
            validators[q.ValidatorId].Trust = trustAfter;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Model scores: epoch {Epoch} closed: {Offers} offers scored by {Validators} validators", epoch, quality.Offers.Count, ids.Length);
        return (epoch, true);
    }

    /// <summary>The mean of the dimensions that have a divergence (both or neither: every score carries both).</summary>
    private static double? Mean(double? a, double? b) => (a, b) switch
    {
        ({ } x, { } y) => (x + y) / 2,
        _ => a ?? b,
    };

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}

/// <summary>Runs <see cref="ModelScoreEpochCloser"/> every Validators:CloseInterval on every instance; zero leaves it off (tests close by hand).</summary>
internal sealed class ModelScoreEpochService(ModelScoreEpochCloser closer, IOptions<ValidatorOptions> options, TimeProvider clock, ILogger<ModelScoreEpochService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Model score epochs";

    protected override TimeSpan? Interval => options.Value.CloseInterval > TimeSpan.Zero ? options.Value.CloseInterval : null;

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => closer.RunOnceAsync(stoppingToken);
}
