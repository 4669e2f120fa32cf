using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Validators;

/// <summary>POST /v1/model-scores: what a validator may submit, and every refusal with the field or the reason.</summary>
public sealed class ValidatorSubmissionTests(ValidatorApi api) : IClassFixture<ValidatorApi>
{
    private static object Body(Guid offer, object? quality = null, object? latency = null) =>
        new { scores = new[] { new { offerId = offer, quality = quality ?? 0.5, latency = latency ?? 0.5 } } };

    private static async Task<JsonObject> InvalidAsync(HttpResponseMessage response) => await response.ProblemAsync(HttpStatusCode.BadRequest);

    [Fact]
    public async Task Scores_without_an_epoch_or_with_the_current_one_are_taken_for_the_current_epoch()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        var taken = await validator.ScoreAsync((offer, 0.7, 0.4));
        Assert.Equal((api.CurrentEpoch, 1, 0), (taken["epoch"]!.GetValue<long>(), taken["accepted"]!.GetValue<int>(), taken["replaced"]!.GetValue<int>()));
        Assert.Equal(api.Genesis + (api.CurrentEpoch + 1) * ValidatorApi.EpochLength, taken["epochEndsAt"]!.GetValue<DateTimeOffset>());

        var named = await validator.SubmitScoresAsync(new { epoch = api.CurrentEpoch, scores = new[] { new { offerId = offer, quality = 0.7, latency = 0.4 } } });
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
    }

    [Fact]
    public async Task A_revoked_validator_is_refused_with_the_reason()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.Client(MarketApi.OperatorKey).DeleteAsync($"/v1/admin/validators/{validator.Id}")).StatusCode);
        var problem = await (await validator.SubmitScoresAsync(Body(offer))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("revoked", problem["detail"].Text());
    }

    [Fact]
    public async Task A_read_only_key_of_a_validator_is_refused_with_the_reason()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        var reader = await api.ReadOnlyClientAsync(validator);
        var problem = await (await reader.PostAsJsonAsync("/v1/model-scores", Body(offer))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("read-only", problem["detail"].Text());
    }

    [Fact]
    public async Task A_past_or_future_epoch_is_a_conflict_naming_the_current_one_and_a_negative_one_is_invalid()
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        api.FinishEpoch();
        var current = api.CurrentEpoch;
        foreach (var (epoch, reason) in new[] { (current - 1, "ended"), (current + 1, "has not started"), (long.MaxValue, "has not started") })
        {
            var problem = await (await validator.SubmitScoresAsync(new { epoch, scores = new[] { new { offerId = offer, quality = 0.5, latency = 0.5 } } }))
                .ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains(reason, problem["detail"].Text());
            Assert.Equal(current, problem["currentEpoch"]!.GetValue<long>());
        }
        var negative = await InvalidAsync(await validator.SubmitScoresAsync(new { epoch = -1, scores = new[] { new { offerId = offer, quality = 0.5, latency = 0.5 } } }));
        Assert.Contains($"the current epoch's number, {current}", negative.ErrorsFor("epoch"));
    }

    [Theory]
    [InlineData("-0.1", "got -0.1")]
    [InlineData("1.1", "got 1.1")]
    [InlineData("1.0000000000000002", "got 1.0000000000000002")]
    [InlineData("1e308", "got 1E+308")]
    [InlineData("-1e-320", "got -1E-320")]
    [InlineData("100000000000000000000000000000", "got 1E+29")]
    [InlineData("1e309", "a number from 0 (worst) to 1 (best)")]
    [InlineData("-1e309", "a number from 0 (worst) to 1 (best)")]
    [InlineData("\"0.5\"", "a number from 0 (worst) to 1 (best)")]
    [InlineData("\"NaN\"", "a number from 0 (worst) to 1 (best)")]
    [InlineData("null", "a number from 0 (worst) to 1 (best)")]
    public async Task A_score_outside_0_to_1_or_not_a_number_is_refused_naming_the_field(string value, string reason)
    {
        var (validator, offer) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        foreach (var field in new[] { "quality", "latency" })
        {
            var other = field == "quality" ? "latency" : "quality";
            var body = $$"""{"scores":[{"offerId":"{{offer}}","{{other}}":0.5,"{{field}}":{{value}}}]}""";
            var problem = await InvalidAsync(await validator.Http.SendRawAsync(HttpMethod.Post, "/v1/model-scores", body));
            Assert.Contains(reason, problem.ErrorsFor($"scores[0].{field}"));
        }
    }

    [Fact]
    public async Task Every_wrong_score_is_named_in_one_answer()
    {
        var (validator, a, b) = (await api.ValidatorAsync(), await api.ModelOfferAsync(), await api.ModelOfferAsync());
        var problem = await InvalidAsync(await validator.SubmitScoresAsync(new
        {
            scores = new object[] { new { offerId = a, quality = 0.5, latency = 1.5 }, new { offerId = b, quality = -2, latency = 0.5 } },
        }));
        Assert.Equal(["scores[0].latency", "scores[1].quality"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task No_scores_or_more_than_500_are_refused_naming_scores()
    {
        var validator = await api.ValidatorAsync();
        Assert.Contains("got 0", (await InvalidAsync(await validator.SubmitScoresAsync(new { scores = Array.Empty<object>() }))).ErrorsFor("scores"));
        var many = Enumerable.Range(0, 501).Select(_ => new { offerId = Guid.NewGuid(), quality = 0.5, latency = 0.5 }).ToArray();
        Assert.Contains("1 to 500 scores; got 501", (await InvalidAsync(await validator.SubmitScoresAsync(new { scores = many }))).ErrorsFor("scores"));
        Assert.Contains("is required", (await InvalidAsync(await validator.SubmitScoresAsync(new { epoch = api.CurrentEpoch }))).ErrorsFor("scores"));
    }

    [Fact]
    public async Task The_same_offer_twice_in_one_submission_is_refused_naming_the_second()
    {
        var (validator, offer, other) = (await api.ValidatorAsync(), await api.ModelOfferAsync(), await api.ModelOfferAsync());
        var problem = await InvalidAsync(await validator.SubmitScoresAsync(new
        {
            scores = new[] { new { offerId = offer, quality = 0.5, latency = 0.5 }, new { offerId = other, quality = 0.5, latency = 0.5 }, new { offerId = offer, quality = 0.9, latency = 0.9 } },
        }));
        Assert.Contains("as scores[0] does", problem.ErrorsFor("scores[2].offerId"));
        Assert.Single(problem["errors"]!.AsObject());
    }

    [Fact]
    public async Task Ids_of_anything_but_another_providers_published_model_offer_are_refused_naming_each()
    {
        var validator = await api.ValidatorAsync();
        var provider = await api.SignUpAsync("provider");
        var compute = await provider.PublishOfferAsync("compute", Scenario.ComputeOffer());
        var storage = await provider.PublishOfferAsync("storage", RentalMarkets.StorageOffer());
        var draft = (await (await provider.Http.PostAsJsonAsync("/v1/offers/model", OfferLifecycleTests.ValidOffer("model"))).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var retired = await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer());
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostAsync($"/v1/offers/model/{retired}/retire", null)).StatusCode);
        Guid[] ids = [compute, storage, draft, retired, provider.Id, validator.Id, Guid.NewGuid(), Guid.Empty];

        var problem = await InvalidAsync(await validator.SubmitScoresAsync(new { scores = ids.Select(id => new { offerId = id, quality = 0.5, latency = 0.5 }) }));
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Contains($"no published (active or paused) model offer has id {ids[i]}", problem.ErrorsFor($"scores[{i}].offerId"));
        }
    }

    [Fact]
    public async Task A_paused_offer_may_be_scored()
    {
        var validator = await api.ValidatorAsync();
        var provider = await api.SignUpAsync("provider");
        var paused = await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer());
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostAsync($"/v1/offers/model/{paused}/pause", null)).StatusCode);
        await validator.ScoreAsync((paused, 0.5, 0.5));
    }

    [Theory]
    [InlineData("\"not-a-uuid\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    [InlineData("\"{00000000-0000-0000-0000-000000000000}\"")]
    [InlineData("\"00000000-0000-0000-0000-00000000000g\"")]
    [InlineData("null")]
    public async Task An_offer_id_that_is_not_a_uuid_is_refused_naming_the_field(string id)
    {
        var validator = await api.ValidatorAsync();
        var body = $$"""{"scores":[{"offerId":{{id}},"quality":0.5,"latency":0.5}]}""";
        var problem = await InvalidAsync(await validator.Http.SendRawAsync(HttpMethod.Post, "/v1/model-scores", body));
        Assert.Contains("UUID", problem.ErrorsFor("scores[0].offerId"));
    }

    [Fact]
    public async Task A_validator_may_not_score_its_own_offer()
    {
        var validator = await api.SignUpAsync("provider");
        await api.StakeAsync(validator.Id, "100");
        await api.GrantValidatorAsync(validator.Id);
        var own = await validator.PublishOfferAsync("model", RentalMarkets.ModelOffer());
        var problem = await InvalidAsync(await validator.SubmitScoresAsync(Body(own)));
        Assert.Contains("own offer", problem.ErrorsFor("scores[0].offerId"));
    }

    [Fact]
    public async Task A_resubmission_replaces_the_scores_of_the_offers_it_names_and_keeps_the_others()
    {
        var (validator, a, b) = (await api.ValidatorAsync(), await api.ModelOfferAsync(), await api.ModelOfferAsync());
        var epoch = api.CurrentEpoch;
        await validator.ScoreAsync((a, 0.2, 0.1), (b, 0.3, 0.4));
        var again = await validator.ScoreAsync((a, 0.9, 0.8));
        Assert.Equal((1, 1), (again["accepted"]!.GetValue<int>(), again["replaced"]!.GetValue<int>()));

        api.FinishEpoch();
        await api.CloseAsync();
        var offers = (await validator.ScoreEpochAsync(epoch))["offers"]!.AsArray();
        // The only validator of these offers: its scores are the consensus.
        var scoreOf = offers.ToDictionary(o => o!["offerId"]!.GetValue<Guid>(), o => (o!["quality"]!.GetValue<double>(), o["latency"]!.GetValue<double>()));
        Assert.Equal((0.9, 0.8), scoreOf[a]);
        Assert.Equal((0.3, 0.4), scoreOf[b]);
    }

    [Fact]
    public async Task A_refused_submission_stores_none_of_its_scores()
    {
        var (validator, good) = (await api.ValidatorAsync(), await api.ModelOfferAsync());
        await InvalidAsync(await validator.SubmitScoresAsync(new
        {
            scores = new object[] { new { offerId = good, quality = 0.5, latency = 0.5 }, new { offerId = Guid.NewGuid(), quality = 0.5, latency = 0.5 } },
        }));
        api.FinishEpoch();
        await api.CloseAsync();
        var scores = (await validator.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/model/{good}/scores"))!;
        Assert.Empty(scores["history"]!.AsArray());
    }
}
