using System.Net;
using DepinMarket.Api.Features.Validators;
using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;

namespace DepinMarket.Api.Tests.Validators;

/// <summary>
/// A submission and the close of its epoch do not overlap: a submission that reaches the epoch's lock while the
/// closer holds it waits, then finds the epoch closed and stores nothing. Its own class: it closes the current epoch
/// by hand, which no other test's scores may be in.
/// </summary>
public sealed class ValidatorSubmissionRaceTests(ValidatorApi api) : IClassFixture<ValidatorApi>
{
    [Fact]
    public async Task A_submission_that_waited_for_its_epoch_to_close_is_refused_and_stores_nothing()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        var epoch = api.CurrentEpoch;
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // What the closer does: the epoch's lock exclusively, then its row.
            await ModelScoreEpochLock.ExclusiveAsync(connection, transaction, epoch, CancellationToken.None);
            var submission = validator.SubmitScoresAsync(new { scores = new[] { new { offerId = offer, quality = 0.5, latency = 0.5 } } });
            await ValidatorScenario.WaitForLockWaitersAsync(dataSource, 1, submission);
            await using (var close = new NpgsqlCommand("""
                insert into model_score_epochs (epoch, starts_at, ends_at, clip_band, trust_learning_rate, divergence_scale, closed_at)
                values (@epoch, now(), now() + interval '1 hour', 0.1, 0.2, 0.3, now())
                """, connection, transaction))
            {
                close.Parameters.AddWithValue("epoch", epoch);
                await close.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();

            var problem = await (await submission).ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("closed while these scores were on their way", problem["detail"].Text());
        }
        await using var count = new NpgsqlCommand("select count(*) from model_scores where epoch = @epoch", connection);
        count.Parameters.AddWithValue("epoch", epoch);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

}
