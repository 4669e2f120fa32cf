using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Validators;

/// <summary>The point of the consensus: a minority of the stake that inverts the scores cannot reorder the offers, and loses its say.</summary>
public sealed class ValidatorConsensusTests(ValidatorApi api) : IClassFixture<ValidatorApi>
{
    [Fact]
    public async Task Honest_validators_with_60_percent_of_the_stake_keep_the_rank_while_the_inverting_40_percent_lose_trust_and_weight_epoch_after_epoch()
    {
        var (a, b, c) = (await api.ModelOfferAsync(), await api.ModelOfferAsync(), await api.ModelOfferAsync());
        var honest = new List<TestAccount>();
        var dishonest = new List<TestAccount>();
        for (var i = 0; i < 3; i++)
        {
            honest.Add(await api.ValidatorAsync("200"));
        }
        for (var i = 0; i < 2; i++)
        {
            dishonest.Add(await api.ValidatorAsync("200"));
        }
        var reader = await api.SignUpAsync("client");
        double[] noise = [-0.02, 0, 0.02];
        var dishonestTrust = new List<double>();
        var dishonestShare = new List<double>();

        for (var round = 0; round < 6; round++)
        {
            var epoch = api.CurrentEpoch;
            for (var i = 0; i < honest.Count; i++)
            {
                var n = noise[(i + round) % noise.Length];
                await honest[i].ScoreAsync((a, 0.9 + n, 0.8 + n), (b, 0.6 + n, 0.5 + n), (c, 0.3 + n, 0.2 + n));
            }
            foreach (var validator in dishonest)
            {
                await validator.ScoreAsync((a, 0.0, 0.0), (b, 0.5, 0.5), (c, 1.0, 1.0));
            }
            api.FinishEpoch();
            Assert.Equal([epoch], await api.CloseAsync());

            var result = await reader.ScoreEpochAsync(epoch);
            var offers = result["offers"]!.AsArray();
            Assert.Equal([a, b, c], offers.Select(o => o!["offerId"]!.GetValue<Guid>()));
            Assert.Equal([1, 2, 3], offers.Select(o => o!["rank"]!.GetValue<int>()));
            // Clipped to 0.1 below the honest median, the minority pulls A down by at most 0.1 × its 40%.
            Assert.True(offers[0]!["quality"]!.GetValue<double>() >= 0.88 - 0.04 - 1e-9, offers.ToJsonString());

            var outcomes = result["validators"]!.AsArray().ToDictionary(v => v!["validatorId"]!.GetValue<Guid>(), v => v!.AsObject());
            Assert.All(honest, h => Assert.True(outcomes[h.Id]["trustAfter"]!.GetValue<double>() > 0.85, outcomes[h.Id].ToJsonString()));
            var liar = outcomes[dishonest[0].Id];
            Assert.Equal(liar["trustAfter"]!.GetValue<double>(), outcomes[dishonest[1].Id]["trustAfter"]!.GetValue<double>());
            dishonestTrust.Add(liar["trustAfter"]!.GetValue<double>());
            dishonestShare.Add(liar["weightShare"]!.GetValue<double>());
        }

        // Every epoch they score against the rest, they keep 4/5 of their trust: 0.8, 0.64, ... 0.8^6 ≈ 0.26.
        Assert.Equal(dishonestTrust.OrderDescending(), dishonestTrust);
        Assert.Equal(dishonestTrust.Count, dishonestTrust.Distinct().Count());
        Assert.True(dishonestTrust[^1] < 0.3, string.Join(", ", dishonestTrust));
        Assert.Equal(dishonestShare.OrderDescending(), dishonestShare);
        Assert.Equal(dishonestShare.Count, dishonestShare.Distinct().Count());
        Assert.Equal(0.2, dishonestShare[0], precision: 12);
        Assert.Equal(dishonestTrust[^1], (await api.ListedValidatorAsync(dishonest[0].Id))["trust"]!.GetValue<double>());
    }
}
