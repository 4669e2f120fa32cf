using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Validators;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests.Validators;

/// <summary>Closing epochs (once, with the stakes and validators of the moment) and reading their results.</summary>
public sealed class ValidatorEpochCloseTests(ValidatorApi api) : IClassFixture<ValidatorApi>
{
    private static JsonObject OfferIn(JsonObject epoch, Guid offer) =>
        epoch["offers"]!.AsArray().Single(o => o!["offerId"]!.GetValue<Guid>() == offer)!.AsObject();

    private static JsonObject? OutcomeIn(JsonObject epoch, Guid validator) =>
        epoch["validators"]!.AsArray().SingleOrDefault(v => v!["validatorId"]!.GetValue<Guid>() == validator)?.AsObject();

    [Fact]
    public async Task Two_closers_racing_close_an_epoch_once()
    {
        var (first, second, offer) = (await api.ValidatorAsync(), await api.ValidatorAsync(), await api.ModelOfferAsync());
        var epoch = api.CurrentEpoch;
        await first.ScoreAsync((offer, 0.6, 0.6));
        await second.ScoreAsync((offer, 0.9, 0.9));
        api.FinishEpoch();

        // Both closers are held at the epoch's lock until both have found the epoch due: then both try to close it.
        var otherInstance = ActivatorUtilities.CreateInstance<ModelScoreEpochCloser>(api.Services);
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        Task<IReadOnlyList<long>[]> racing;
        await using (var gate = await connection.BeginTransactionAsync())
        {
            await ModelScoreEpochLock.ExclusiveAsync(connection, gate, epoch, CancellationToken.None);
            racing = Task.WhenAll(Task.Run(() => api.CloseAsync()), Task.Run(() => otherInstance.RunOnceAsync(CancellationToken.None)));
            await ValidatorScenario.WaitForLockWaitersAsync(dataSource, 2, racing);
            await gate.RollbackAsync();
        }
        Assert.Equal([epoch], (await racing).SelectMany(r => r));
        Assert.Empty(await api.CloseAsync());

        Assert.Equal(1L, await CountAsync("select count(*) from model_score_epochs where epoch = @epoch", epoch));
        Assert.Equal(2L, await CountAsync("select count(*) from model_score_validator_outcomes where epoch = @epoch", epoch));
        var result = await first.ScoreEpochAsync(epoch);
        // The trust moved once: what the validators hold now is the one outcome's trust after.
        Assert.Equal(OutcomeIn(result, second.Id)!["trustAfter"]!.GetValue<double>(), (await api.ListedValidatorAsync(second.Id))["trust"]!.GetValue<double>());
        Assert.Equal(1.0, OutcomeIn(result, second.Id)!["trustBefore"]!.GetValue<double>());
    }

    [Fact]
    public async Task An_epoch_that_is_unfinished_unscored_or_not_closed_yet_answers_404_saying_which()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        api.FinishEpoch();
        var unscored = api.CurrentEpoch;
        api.FinishEpoch();
        Assert.Contains("No validator scored", (await (await validator.Http.GetAsync($"/v1/model-scores/epochs/{unscored}")).ProblemAsync(HttpStatusCode.NotFound))["detail"].Text());

        var scored = api.CurrentEpoch;
        await validator.ScoreAsync((offer, 0.5, 0.5));
        Assert.Contains("has not finished", (await (await validator.Http.GetAsync($"/v1/model-scores/epochs/{scored}")).ProblemAsync(HttpStatusCode.NotFound))["detail"].Text());
        Assert.Contains("has not finished", (await (await validator.Http.GetAsync($"/v1/model-scores/epochs/{long.MaxValue}")).ProblemAsync(HttpStatusCode.NotFound))["detail"].Text());
        api.FinishEpoch();
        Assert.Contains("closes shortly", (await (await validator.Http.GetAsync($"/v1/model-scores/epochs/{scored}")).ProblemAsync(HttpStatusCode.NotFound))["detail"].Text());

        Assert.Contains(scored, await api.CloseAsync());
        Assert.Equal(scored, (await validator.ScoreEpochAsync(scored))["epoch"]!.GetValue<long>());
        var malformed = await (await validator.Http.GetAsync("/v1/model-scores/epochs/-1")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("epoch number", malformed.ErrorsFor("epoch"));
    }

    [Fact]
    public async Task Scores_of_the_epoch_in_progress_are_not_closed()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        var epoch = api.CurrentEpoch;
        await validator.ScoreAsync((offer, 0.5, 0.5));
        Assert.DoesNotContain(epoch, await api.CloseAsync());
        await (await validator.Http.GetAsync($"/v1/model-scores/epochs/{epoch}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_validator_revoked_before_the_close_is_left_out_of_it_and_keeps_its_trust()
    {
        var (kept, revoked, offer) = (await api.ValidatorAsync(), await api.ValidatorAsync(), await api.ModelOfferAsync());
        var epoch = api.CurrentEpoch;
        await kept.ScoreAsync((offer, 0.2, 0.3));
        await revoked.ScoreAsync((offer, 0.9, 0.9));
        Assert.Equal(HttpStatusCode.OK, (await api.Client(MarketApi.OperatorKey).DeleteAsync($"/v1/admin/validators/{revoked.Id}")).StatusCode);
        api.FinishEpoch();
        await api.CloseAsync();

        var result = await kept.ScoreEpochAsync(epoch);
        Assert.Equal((0.2, 0.3, 1), (OfferIn(result, offer)["quality"]!.GetValue<double>(), OfferIn(result, offer)["latency"]!.GetValue<double>(),
            OfferIn(result, offer)["validators"]!.GetValue<int>()));
        Assert.Null(OutcomeIn(result, revoked.Id));
        Assert.Equal(1.0, (await api.ListedValidatorAsync(revoked.Id))["trust"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_stake_a_validator_holds_when_the_epoch_closes_is_its_weight()
    {
        var (low, high, offer) = (await api.ValidatorAsync("100"), await api.ValidatorAsync("100"), await api.ModelOfferAsync());
        var epoch = api.CurrentEpoch;
        await low.ScoreAsync((offer, 0.2, 0.2));
        await high.ScoreAsync((offer, 0.8, 0.8));
        await api.StakeAsync(high.Id, "800");
        api.FinishEpoch();
        await api.CloseAsync();

        var result = await low.ScoreEpochAsync(epoch);
        var scored = OfferIn(result, offer);
        // 900 of 1000 at 0.8 sets the median; 0.2 is clipped to 0.7: (100 × 0.7 + 900 × 0.8) ÷ 1000.
        Assert.Equal(0.8, scored["qualityMedian"]!.GetValue<double>());
        Assert.Equal(0.79, scored["quality"]!.GetValue<double>(), precision: 12);
        Assert.Equal("900", OutcomeIn(result, high.Id)!["stake"].Text());
        Assert.Equal(0.9, OutcomeIn(result, high.Id)!["weightShare"]!.GetValue<double>(), precision: 12);
    }

    [Fact]
    public async Task A_validator_without_stake_moves_nothing_but_loses_trust_for_diverging()
    {
        var (staked, unstaked, offer) = (await api.ValidatorAsync("100"), await api.SignUpAsync("client"), await api.ModelOfferAsync());
        await api.GrantValidatorAsync(unstaked.Id);
        var epoch = api.CurrentEpoch;
        await staked.ScoreAsync((offer, 0.5, 0.5));
        await unstaked.ScoreAsync((offer, 1.0, 1.0));
        api.FinishEpoch();
        await api.CloseAsync();

        var result = await staked.ScoreEpochAsync(epoch);
        Assert.Equal(0.5, OfferIn(result, offer)["quality"]!.GetValue<double>());
        var outcome = OutcomeIn(result, unstaked.Id)!;
        Assert.Equal((0.0, 0.5), (outcome["weight"]!.GetValue<double>(), outcome["divergence"]!.GetValue<double>()));
        // 0.8 × 1 + 0.2 × max(0, 1 − 0.5 ÷ 0.3).
        Assert.Equal(0.8, outcome["trustAfter"]!.GetValue<double>(), precision: 12);
    }

    [Fact]
    public async Task An_epochs_offers_come_ranked_by_quality_in_pages_with_offers_without_a_consensus_last()
    {
        var validator = await api.ValidatorAsync("100");
        var weightless = await api.SignUpAsync("client");
        await api.GrantValidatorAsync(weightless.Id);
        var (low, high, middle, unweighted) = (await api.ModelOfferAsync(), await api.ModelOfferAsync(), await api.ModelOfferAsync(), await api.ModelOfferAsync());
        var epoch = api.CurrentEpoch;
        await validator.ScoreAsync((low, 0.3, 0.9), (high, 0.9, 0.1), (middle, 0.6, 0.5));
        await weightless.ScoreAsync((unweighted, 1.0, 1.0));
        api.FinishEpoch();
        await api.CloseAsync();

        var ranked = new List<(int Rank, Guid Offer, double? Quality)>();
        string? cursor = null;
        do
        {
            var page = await validator.ScoreEpochAsync(epoch, $"?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.True(page["offers"]!.AsArray().Count <= 2);
            ranked.AddRange(page["offers"]!.AsArray().Select(o => (o!["rank"]!.GetValue<int>(), o["offerId"]!.GetValue<Guid>(), o["quality"]?.GetValue<double>())));
            Assert.Equal(2, page["validators"]!.AsArray().Count);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal([(1, high, 0.9), (2, middle, 0.6), (3, low, 0.3), (4, unweighted, (double?)null)], ranked);
        var forged = await (await validator.Http.GetAsync($"/v1/model-scores/epochs/{epoch}?cursor=eyJ4IjoxfQ")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not a cursor this API issued", forged.ErrorsFor("cursor"));
    }

    [Fact]
    public async Task An_offers_scores_show_the_latest_closed_epoch_that_scored_it_and_its_history_newest_first()
    {
        var (validator, offer, unscored) = (await api.ValidatorAsync(), await api.ModelOfferAsync(), await api.ModelOfferAsync());
        var first = api.CurrentEpoch;
        await validator.ScoreAsync((offer, 0.4, 0.5));
        api.FinishEpoch();
        api.FinishEpoch();
        var second = api.CurrentEpoch;
        await validator.ScoreAsync((offer, 0.7, 0.6));
        api.FinishEpoch();
        await api.CloseAsync();

        var scores = (await validator.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/model/{offer}/scores"))!;
        Assert.Equal((second, 0.7, 0.6, 1), (scores["latest"]!["epoch"]!.GetValue<long>(), scores["latest"]!["quality"]!.GetValue<double>(),
            scores["latest"]!["latency"]!.GetValue<double>(), scores["latest"]!["validators"]!.GetValue<int>()));
        Assert.Equal([second, first], scores["history"]!.AsArray().Select(h => h!["epoch"]!.GetValue<long>()));

        var none = (await validator.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/model/{unscored}/scores"))!;
        Assert.Null(none["latest"]);
        Assert.Empty(none["history"]!.AsArray());
    }

    [Fact]
    public async Task An_offers_scores_are_404_for_an_unknown_offer_and_another_providers_draft()
    {
        var reader = await api.SignUpAsync("client");
        var provider = await api.SignUpAsync("provider");
        var draft = (await (await provider.Http.PostAsJsonAsync("/v1/offers/model", OfferLifecycleTests.ValidOffer("model"))).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await (await reader.Http.GetAsync($"/v1/offers/model/{Guid.NewGuid()}/scores")).ProblemAsync(HttpStatusCode.NotFound);
        await (await reader.Http.GetAsync($"/v1/offers/model/{draft}/scores")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.GetAsync($"/v1/offers/model/{draft}/scores")).StatusCode);
    }

    [Fact]
    public async Task A_providers_model_score_is_the_mean_of_its_offers_latest_consensus_quality()
    {
        var validator = await api.ValidatorAsync();
        var weightless = await api.SignUpAsync("client");
        await api.GrantValidatorAsync(weightless.Id);
        var provider = await api.SignUpAsync("provider");
        var (kept, improved, unweighted) = (await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer()),
            await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer()), await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer()));
        var other = await api.SignUpAsync("provider");
        var othersOffer = await other.PublishOfferAsync("model", RentalMarkets.ModelOffer());
        var unscoredProvider = await api.SignUpAsync("provider");
        await unscoredProvider.PublishOfferAsync("model", RentalMarkets.ModelOffer());

        await validator.ScoreAsync((kept, 0.8, 0.5), (improved, 0.2, 0.5), (othersOffer, 0.3, 0.5));
        api.FinishEpoch();
        // The next epoch does not reach "kept": its score from the epoch before still counts.
        await validator.ScoreAsync((improved, 0.4, 0.5));
        await weightless.ScoreAsync((unweighted, 1.0, 1.0));
        api.FinishEpoch();
        await api.CloseAsync();

        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var scores = await ModelScores.LatestByProviderAsync(db, [provider.Id, unscoredProvider.Id]);
        Assert.Equal([provider.Id], scores.Keys);
        Assert.Equal(0.6, scores[provider.Id], precision: 12);
        var everyone = await ModelScores.LatestByProviderAsync(db);
        Assert.Equal(0.3, everyone[other.Id], precision: 12);
        Assert.False(everyone.ContainsKey(unscoredProvider.Id));
    }

    private async Task<long> CountAsync(string sql, long epoch)
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("epoch", epoch);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
