using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;

namespace DepinMarket.Api.Tests.Validators;

/// <summary>
/// Validators:Genesis and EpochLength are fixed once an epoch has closed: trust carries from epoch to epoch and
/// scores are numbered on the grid. Its own class: it leaves the closer stopped.
/// </summary>
public sealed class ValidatorGridChangeTests(ValidatorApi api) : IClassFixture<ValidatorApi>
{
    [Fact]
    public async Task An_epoch_closed_on_another_grid_stops_the_closer_with_the_reason_logged()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        api.FinishEpoch();
        // Epoch 0 as a closer configured with a genesis one minute later would have closed it.
        await using (var dataSource = NpgsqlDataSource.Create(api.ConnectionString))
        await using (var closed = dataSource.CreateCommand("""
            insert into model_score_epochs (epoch, starts_at, ends_at, clip_band, trust_learning_rate, divergence_scale, closed_at)
            values (0, @starts, @starts + interval '1 hour', 0.1, 0.2, 0.3, now())
            """))
        {
            closed.Parameters.AddWithValue("starts", api.Genesis.AddMinutes(1));
            await closed.ExecuteNonQueryAsync();
        }
        await validator.ScoreAsync((offer, 0.5, 0.5));
        api.FinishEpoch();

        Assert.Empty(await api.CloseAsync());
        Assert.Contains(api.Logs.Lines, l => l.Contains("no longer give", StringComparison.Ordinal));
    }
}
