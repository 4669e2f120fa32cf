using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

public sealed class OfferLifecycleTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task A_draft_is_invisible_to_others_until_published()
    {
        var provider = await api.SignUpAsync("provider");
        var client = await api.SignUpAsync("client");
        var draft = await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpu: "RTX 3090", publish: false));
        var id = draft["id"]!.GetValue<Guid>();
        Assert.Equal("draft", draft["status"]!.GetValue<string>());

        await (await client.Http.GetAsync($"/v1/offers/compute/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await client.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?gpu=RTX-3090"))!["items"]!.AsArray());
        var mine = await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?mine=true&status=draft");
        Assert.Contains(mine!["items"]!.AsArray(), o => o!["id"]!.GetValue<Guid>() == id);

        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostAsync($"/v1/offers/compute/{id}/publish", null)).StatusCode);
        var found = await client.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?gpu=RTX-3090");
        Assert.Equal(id, found!["items"]![0]!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Pause_hides_resume_shows_retire_ends()
    {
        var provider = await api.SignUpAsync("provider");
        var id = (await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpu: "T4")))["id"]!.GetValue<Guid>();

        Assert.Equal("paused", await Move(provider, id, "pause"));
        Assert.Empty((await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?gpu=T4"))!["items"]!.AsArray());
        Assert.Equal("active", await Move(provider, id, "resume"));
        Assert.Single((await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?gpu=T4"))!["items"]!.AsArray());
        Assert.Equal("retired", await Move(provider, id, "retire"));

        var problem = await (await provider.Http.PostAsync($"/v1/offers/compute/{id}/resume", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("retired", problem["detail"]!.GetValue<string>());
        await (await provider.Http.PutAsJsonAsync($"/v1/offers/compute/{id}", Scenario.ComputeOffer(gpu: "T4"))).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Resuming_an_active_offer_is_a_conflict_that_says_why()
    {
        var provider = await api.SignUpAsync("provider");
        var id = (await provider.CreateComputeOfferAsync())["id"]!.GetValue<Guid>();
        var problem = await (await provider.Http.PostAsync($"/v1/offers/compute/{id}/resume", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("must be paused", problem["detail"]!.GetValue<string>());
    }

    /// <summary>Every mutating offer endpoint, tried by a second provider: each must answer 404 and change nothing.</summary>
    [Theory]
    [InlineData("compute")]
    [InlineData("storage")]
    [InlineData("model")]
    public async Task Another_provider_cannot_touch_my_offer(string kind)
    {
        var owner = await api.SignUpAsync("provider");
        var intruder = await api.SignUpAsync("provider");
        var created = await owner.Http.PostAsJsonAsync($"/v1/offers/{kind}", ValidOffer(kind));
        var offer = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = offer["id"]!.GetValue<Guid>();

        await (await intruder.Http.PutAsJsonAsync($"/v1/offers/{kind}/{id}", ValidOffer(kind))).ProblemAsync(HttpStatusCode.NotFound);
        foreach (var verb in new[] { "publish", "pause", "resume", "retire" })
        {
            await (await intruder.Http.PostAsync($"/v1/offers/{kind}/{id}/{verb}", null)).ProblemAsync(HttpStatusCode.NotFound);
        }

        var after = await owner.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/{kind}/{id}");
        Assert.Equal("draft", after!["status"]!.GetValue<string>());
        Assert.Equal(offer["updatedAt"]!.GetValue<DateTimeOffset>(), after["updatedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_client_only_account_cannot_list_offers()
    {
        var client = await api.SignUpAsync("client");
        var problem = await (await client.Http.PostAsJsonAsync("/v1/offers/compute", Scenario.ComputeOffer())).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("provider", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_with_a_stale_ETag_is_refused_with_412_and_a_fresh_one_succeeds()
    {
        var provider = await api.SignUpAsync("provider");
        var id = (await provider.CreateComputeOfferAsync())["id"]!.GetValue<Guid>();
        var read = await provider.Http.GetAsync($"/v1/offers/compute/{id}");
        var etag = read.Headers.ETag!;

        var first = await Put(provider, id, etag, Scenario.ComputeOffer(price: "3"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag);
        Assert.Equal("3", (await first.Content.ReadFromJsonAsync<JsonObject>())!["pricePerGpuHour"]!.GetValue<string>());

        await (await Put(provider, id, etag, Scenario.ComputeOffer(price: "1"))).ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.OK, (await Put(provider, id, first.Headers.ETag!, Scenario.ComputeOffer(price: "1"))).StatusCode);
    }

    [Fact]
    public async Task Two_concurrent_updates_from_the_same_version_exactly_one_wins()
    {
        var provider = await api.SignUpAsync("provider");
        var id = (await provider.CreateComputeOfferAsync())["id"]!.GetValue<Guid>();
        var original = (await provider.Http.GetAsync($"/v1/offers/compute/{id}")).Headers.ETag!;

        for (var round = 0; round < 5; round++)
        {
            var current = (await provider.Http.GetAsync($"/v1/offers/compute/{id}")).Headers.ETag!;
            var prices = new[] { $"4.{round}", $"5.{round}" };
            var results = await Task.WhenAll(prices.Select(price => Put(provider, id, current, Scenario.ComputeOffer(price: price))));
            Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Single(results, r => r.StatusCode == HttpStatusCode.PreconditionFailed);

            // The winner's write is the one stored, and nothing was written after it: the loser changed nothing.
            var winner = results.Single(r => r.StatusCode == HttpStatusCode.OK);
            var stored = await provider.Http.GetAsync($"/v1/offers/compute/{id}");
            Assert.Equal(winner.Headers.ETag, stored.Headers.ETag);
            Assert.NotEqual(current, stored.Headers.ETag);
            Assert.Equal((await winner.Content.ReadFromJsonAsync<JsonObject>())!["pricePerGpuHour"]!.GetValue<string>(),
                (await stored.Content.ReadFromJsonAsync<JsonObject>())!["pricePerGpuHour"]!.GetValue<string>());
        }
        await (await Put(provider, id, original, Scenario.ComputeOffer(price: "6"))).ProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    private static async Task<HttpResponseMessage> Put(TestAccount provider, Guid id, EntityTagHeaderValue etag, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/offers/compute/{id}") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(etag);
        return await provider.Http.SendAsync(request);
    }

    private static async Task<string> Move(TestAccount provider, Guid id, string verb)
    {
        var response = await provider.Http.PostAsync($"/v1/offers/compute/{id}/{verb}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>();
    }

    internal static object ValidOffer(string kind) => kind switch
    {
        "compute" => Scenario.ComputeOffer(publish: false),
        "storage" => new { capacityGb = 10_000, pricePerGbMonth = "0.002", region = "NL", replicationFactor = 3, minDurationDays = 30, proofsEnabled = true },
        "model" => new
        {
            modelId = "meta-llama/Llama-3.1-8B-Instruct", modality = "text", contextLength = 131072, pricePerMillionInputTokens = "0.05",
            pricePerMillionOutputTokens = "0.08", endpointUrl = "https://llm.example.com/v1", requestsPerMinute = 600,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
