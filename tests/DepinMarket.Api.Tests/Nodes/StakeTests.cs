using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>Stake behind offers: publishing needs it, unstaking cools down, and only the provider moves its own.</summary>
public sealed class StakeTests(TrustApi api) : IClassFixture<TrustApi>
{
    [Fact]
    public async Task An_offer_is_listed_only_while_the_stake_covers_every_active_offer()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "2000");
        // 8 GPUs × 200 = 1600 staked needed.
        var refused = await (await provider.Http.PostAsJsonAsync("/v1/offers/compute", Scenario.ComputeOffer(gpus: 8))).ProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal("1600", refused["missing"].Text());
        Assert.Contains("POST /v1/stakes", refused["detail"].Text());

        await StakeAsync(provider, "1600");
        var first = await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpus: 8));
        // A second listing would need 400 more; a draft needs nothing until it is published.
        var draft = await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpus: 2, publish: false));
        var publish = await provider.Http.PostAsync($"/v1/offers/compute/{draft["id"]}/publish", null);
        Assert.Equal("400", (await publish.ProblemAsync(HttpStatusCode.PaymentRequired))["missing"].Text());
        // Pausing the first frees its stake for the second.
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostAsync($"/v1/offers/compute/{first["id"]}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostAsync($"/v1/offers/compute/{draft["id"]}/publish", null)).StatusCode);
        var resume = await provider.Http.PostAsync($"/v1/offers/compute/{first["id"]}/resume", null);
        Assert.Equal("400", (await resume.ProblemAsync(HttpStatusCode.PaymentRequired))["missing"].Text());

        var stake = await StakeViewAsync(provider);
        Assert.Equal("1600", stake["staked"].Text());
        Assert.Equal("400", stake["required"].Text());
        Assert.Equal("1200", stake["unstakable"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Unstaked_tokens_keep_backing_offers_through_the_cooldown_then_return()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "1000");
        await StakeAsync(provider, "1000");
        await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpus: 2));
        var tooMuch = await provider.Http.PostMoneyAsync("/v1/stakes/unstake", new { amount = "700" });
        Assert.Contains("at most 600", (await tooMuch.ProblemAsync(HttpStatusCode.Conflict))["detail"].Text());

        var unstaking = await provider.Http.PostMoneyAsync("/v1/stakes/unstake", new { amount = "600" });
        Assert.Equal(HttpStatusCode.OK, unstaking.StatusCode);
        var view = await StakeViewAsync(provider);
        Assert.Equal("1000", view["staked"].Text());
        Assert.Equal("400", view["bonded"].Text());
        Assert.Equal("0", view["unstakable"].Text());
        Assert.Equal("600", Assert.Single(view["cooling"]!.AsArray())!["amount"].Text());

        // Still staked a moment before the cooldown ends; back in available once it has.
        api.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await api.ReleaseStakeAsync());
        Assert.Equal("0", (await provider.BalancesAsync())["available"].Text());
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await api.ReleaseStakeAsync());
        Assert.Equal("600", (await provider.BalancesAsync())["available"].Text());
        Assert.Equal("400", (await StakeViewAsync(provider))["staked"].Text());
        Assert.Equal(0, await api.ReleaseStakeAsync());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Staking_is_idempotent_refuses_bad_amounts_and_is_for_providers_only()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "100");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostMoneyAsync("/v1/stakes", new { amount = "40" }, key)).StatusCode);
        var replay = await provider.Http.PostMoneyAsync("/v1/stakes", new { amount = "40" }, key);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("40", (await StakeViewAsync(provider))["staked"].Text());

        var broke = await provider.Http.PostMoneyAsync("/v1/stakes", new { amount = "61" });
        Assert.Equal("1", (await broke.ProblemAsync(HttpStatusCode.PaymentRequired))["missing"].Text());
        foreach (var amount in new object[] { "0", "-1", "1.0000000000000000001", "1e3", 5, "4\u00002" })
        {
            var bad = await provider.Http.PostMoneyAsync("/v1/stakes", new { amount });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        var noKey = await provider.Http.PostAsJsonAsync("/v1/stakes", new { amount = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);

        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "100");
        await (await client.Http.PostMoneyAsync("/v1/stakes", new { amount = "10" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.Http.PostMoneyAsync("/v1/stakes/unstake", new { amount = "10" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await api.Client().PostMoneyAsync("/v1/stakes", new { amount = "10" })).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("40", (await StakeViewAsync(provider))["staked"].Text());
    }

    [Fact]
    public async Task Two_offers_published_at_once_cannot_both_use_one_stake()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "400");
        await StakeAsync(provider, "400");
        var drafts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            drafts.Add((await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpus: 2, publish: false)))["id"].Text());
        }
        var answers = await Task.WhenAll(drafts.Select(id => provider.Http.PostAsync($"/v1/offers/compute/{id}/publish", null)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.PaymentRequired));
    }

    internal static async Task StakeAsync(TestAccount provider, string amount)
    {
        var response = await provider.Http.PostMoneyAsync("/v1/stakes", new { amount });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonObject> StakeViewAsync(TestAccount provider) => (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/stakes"))!;
}
