using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>Reputation with its parts, and search filtering and ranking offers by reputation and uptime.</summary>
public sealed class ReputationSearchTests(TrustApi api) : IClassFixture<TrustApi>
{
    [Fact]
    public async Task Search_ranks_providers_by_reputation_and_filters_by_reputation_and_uptime()
    {
        // Three providers of one GPU model, beating every 10 minutes for a day: steady; silent for an hour; silent for 12 hours.
        var steady = await ProviderWithNodeAsync();
        var flaky = await ProviderWithNodeAsync();
        var poor = await ProviderWithNodeAsync();
        for (var slot = 0; slot < 144; slot++)
        {
            await steady.Node.BeatOkAsync();
            if (slot is < 60 or >= 66)
            {
                await flaky.Node.BeatOkAsync();
            }
            if (slot >= 72)
            {
                await poor.Node.BeatOkAsync();
            }
            api.Clock.Advance(TimeSpan.FromMinutes(10));
            await api.MonitorAsync();
        }
        foreach (var node in new[] { steady.Node, flaky.Node, poor.Node })
        {
            await node.BeatOkAsync();
        }
        await api.MonitorAsync();
        await api.RefreshReputationAsync();

        var client = await api.SignUpAsync("client");
        var byReputation = await SearchAsync(client, "sort=reputation");
        Assert.Equal([steady.OfferId, flaky.OfferId, poor.OfferId], byReputation.Select(o => o["id"]!.GetValue<Guid>()));
        var scores = byReputation.Select(o => o["reliability"]!["reputation"]!.GetValue<decimal>()).ToList();
        Assert.True(scores[0] > scores[1] && scores[1] > scores[2], string.Join(", ", scores));
        Assert.Equal([steady.OfferId, flaky.OfferId, poor.OfferId], (await SearchAsync(client, "sort=uptime")).Select(o => o["id"]!.GetValue<Guid>()));

        var floor = (int)Math.Ceiling(scores[1]);
        Assert.Equal([steady.OfferId], (await SearchAsync(client, $"minReputation={floor}")).Select(o => o["id"]!.GetValue<Guid>()));
        Assert.Equal([steady.OfferId], (await SearchAsync(client, "minUptime=99")).Select(o => o["id"]!.GetValue<Guid>()));
        Assert.Equal(2, (await SearchAsync(client, "minUptime=80")).Count);

        // The parts add up to the score, and each says what it counted.
        var reputation = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/providers/{poor.Provider.Id}/reputation"))!;
        var components = reputation["components"]!.AsArray();
        Assert.Contains(components, c => c!["name"].Text() == "uptime");
        Assert.Equal(reputation["score"]!.GetValue<decimal>(), Math.Round((decimal)components.Sum(c => c!["points"]!.GetValue<double>()), 1, MidpointRounding.AwayFromZero));
        Assert.Equal(scores[2], reputation["score"]!.GetValue<decimal>());

        // At one price, the price per reputation point ranks them the same way; paged one at a time, the cursor the API
        // computes for each row continues exactly where PostgreSQL's ordering left off.
        Assert.Equal([steady.OfferId, flaky.OfferId, poor.OfferId], (await SearchAsync(client, "sort=value")).Select(o => o["id"]!.GetValue<Guid>()));
        var paged = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu={Gpu}&sort=value&limit=1{(cursor is null ? "" : $"&cursor={cursor}")}"))!;
            paged.AddRange(page["items"]!.AsArray().Select(o => o!["id"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && paged.Count < 10);
        Assert.Equal([steady.OfferId, flaky.OfferId, poor.OfferId], paged);

        // Paging keeps the order.
        var first = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu={Gpu}&sort=reputation&limit=2"))!;
        var second = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu={Gpu}&sort=reputation&limit=2&cursor={first["nextCursor"].Text()}"))!;
        Assert.Equal([steady.OfferId, flaky.OfferId, poor.OfferId],
            first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(o => o!["id"]!.GetValue<Guid>()));
    }

    [Theory]
    [InlineData("minReputation=101", "minReputation")]
    [InlineData("minReputation=-1", "minReputation")]
    [InlineData("minUptime=99.5", "minUptime")]
    [InlineData("minUptimes=99", "minUptimes")]
    [InlineData("sort=reliability", "sort")]
    public async Task Bad_reliability_filters_are_refused_naming_them(string query, string field)
    {
        var client = await api.SignUpAsync("client");
        var problem = await (await client.Http.GetAsync($"/v1/offers/compute?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ToJsonString());
    }

    [Fact]
    public async Task The_reputation_of_someone_who_is_not_a_provider_is_not_found()
    {
        var client = await api.SignUpAsync("client");
        await (await client.Http.GetAsync($"/v1/providers/{client.Id}/reputation")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.Http.GetAsync($"/v1/providers/{Guid.NewGuid()}/reputation")).ProblemAsync(HttpStatusCode.NotFound);
    }

    private const string Gpu = "RTX-3090";

    private async Task<(TestAccount Provider, TestNode Node, Guid OfferId)> ProviderWithNodeAsync()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "1600");
        await StakeTests.StakeAsync(provider, "1600");
        var node = await api.RegisterNodeAsync(provider, interval: 600);
        await node.BeatOkAsync();
        return (provider, node, await provider.CreateNodeOfferAsync(node, gpu: Gpu));
    }

    private static async Task<List<JsonObject>> SearchAsync(TestAccount client, string query) =>
        (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu={Gpu}&limit=100&{query}"))!["items"]!.AsArray().Select(o => o!.AsObject()).ToList();
}
