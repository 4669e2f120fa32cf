using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Validators;

/// <summary>The validators' consensus reaches the provider's reputation: its model score component and its total.</summary>
public sealed class ModelScoreReputationTests(ValidatorApi api) : IClassFixture<ValidatorApi>
{
    [Fact]
    public async Task A_well_scored_model_provider_outranks_a_poorly_scored_one()
    {
        var good = await ProviderOfferAsync();
        var poor = await ProviderOfferAsync();
        var validator = await api.ValidatorAsync();
        await validator.ScoreAsync((good.Offer, 0.9, 0.9), (poor.Offer, 0.2, 0.2));
        api.FinishEpoch();
        await api.CloseAsync();

        var reader = await api.SignUpAsync("client");
        var goodReputation = (await reader.Http.GetFromJsonAsync<JsonObject>($"/v1/providers/{good.Provider}/reputation"))!;
        var poorReputation = (await reader.Http.GetFromJsonAsync<JsonObject>($"/v1/providers/{poor.Provider}/reputation"))!;
        Assert.Equal(0.9, ModelScore(goodReputation), 3);
        Assert.Equal(0.2, ModelScore(poorReputation), 3);
        Assert.True(goodReputation["score"]!.GetValue<decimal>() > poorReputation["score"]!.GetValue<decimal>());
    }

    private async Task<(Guid Provider, Guid Offer)> ProviderOfferAsync()
    {
        var provider = await api.SignUpAsync("provider");
        return (provider.Id, await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer()));
    }

    private static double ModelScore(JsonObject reputation) => reputation["inputs"]!["modelScore"]!.GetValue<double>();
}
