using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>Search over a market this class builds itself: its own database, so counts are exact.</summary>
public sealed class SearchTests(SearchTests.Market market) : IClassFixture<SearchTests.Market>
{
    /// <summary>12 H100 offers at 1.0 .. 12.0 tokens (DE and US), 3 RTX 5090s in FI, one paused and one draft H100.</summary>
    public sealed class Market : MarketApi
    {
        public TestAccount Provider { get; private set; } = null!;

        public TestAccount Buyer { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Provider = await this.SignUpAsync("provider");
            Buyer = await this.SignUpAsync("client");
            for (var i = 1; i <= 12; i++)
            {
                await Provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpu: i % 2 == 0 ? "NVIDIA H100 80GB HBM3" : "h100 sxm5", price: $"{i}.0", region: i <= 6 ? "DE" : "US", gpus: i % 8 + 1));
            }
            for (var i = 1; i <= 3; i++)
            {
                await Provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpu: "RTX 5090", price: $"0.{i}", region: "FI"));
            }
            var paused = await Provider.CreateComputeOfferAsync(Scenario.ComputeOffer(price: "0.01"));
            await Provider.Http.PostAsync($"/v1/offers/compute/{paused["id"]}/pause", null);
            await Provider.CreateComputeOfferAsync(Scenario.ComputeOffer(price: "0.02", publish: false));
        }
    }

    private Task<JsonObject?> Search(string query) => market.Buyer.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?{query}");

    [Fact]
    public async Task Any_spelling_of_a_GPU_finds_the_same_offers_and_only_active_ones()
    {
        var byShort = (await Search("gpu=H100&limit=200"))!["items"]!.AsArray();
        var byFull = (await Search("gpu=NVIDIA%20H100%2080GB%20HBM3&limit=200"))!["items"]!.AsArray();
        Assert.Equal(12, byShort.Count);
        Assert.Equal(byShort.Select(o => o!["id"]!.GetValue<Guid>()), byFull.Select(o => o!["id"]!.GetValue<Guid>()));
        Assert.All(byShort, o => Assert.Equal("active", o!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Filters_combine_and_results_are_cheapest_first()
    {
        var items = (await Search("gpu=H100&region=de&maxPricePerGpuHour=4.5&minGpus=3"))!["items"]!.AsArray();
        var prices = items.Select(o => decimal.Parse(o!["pricePerGpuHour"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([2m, 3m, 4m], prices);
        Assert.All(items, o => Assert.True(o!["gpusAvailable"]!.GetValue<int>() >= 3));
    }

    [Fact]
    public async Task Paging_with_the_cursor_returns_every_offer_exactly_once_in_order()
    {
        foreach (var sort in new[] { "price", "newest" })
        {
            var seen = new List<JsonNode>();
            string? cursor = null;
            do
            {
                var page = (await Search($"sort={sort}&limit=4" + (cursor is null ? "" : $"&cursor={cursor}")))!;
                seen.AddRange(page["items"]!.AsArray().Select(o => o!.DeepClone()));
                cursor = page["nextCursor"]?.GetValue<string>();
            }
            while (cursor is not null);

            Assert.Equal(15, seen.Count);
            Assert.Equal(15, seen.Select(o => o["id"]!.GetValue<Guid>()).Distinct().Count());
            if (sort == "price")
            {
                var prices = seen.Select(o => decimal.Parse(o["pricePerGpuHour"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(prices.Order(), prices);
            }
            else
            {
                var created = seen.Select(o => o["createdAt"]!.GetValue<DateTimeOffset>()).ToList();
                Assert.Equal(created.OrderDescending(), created);
            }
        }
    }

    [Fact]
    public async Task An_unknown_filter_is_a_400_that_lists_the_allowed_ones_and_guesses_the_intended_one()
    {
        var response = await market.Buyer.Http.GetAsync("/v1/offers/compute?gpu=H100&maxPricePerGpuHr=2");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var message = problem.ErrorsFor("maxPricePerGpuHr");
        Assert.Contains("Did you mean \"maxPricePerGpuHour\"", message);
        Assert.Contains("minVramGb", message);
    }

    [Theory]
    [InlineData("gpu=H1OO", "gpu", "not a GPU model")]
    [InlineData("minGpus=two", "minGpus", "whole number")]
    [InlineData("maxPricePerGpuHour=1.0000000000000000001", "maxPricePerGpuHour", "19 decimals")]
    [InlineData("region=Germany", "region", "ISO 3166")]
    [InlineData("limit=500", "limit", "1 to 200")]
    [InlineData("sort=cheapest", "sort", "price, newest")]
    [InlineData("gpu=H100&gpu=A10", "gpu", "more than once")]
    [InlineData("status=draft", "status", "mine=true")]
    [InlineData("cursor=garbage", "cursor", "not a cursor")]
    public async Task Bad_search_parameters_are_400s_naming_the_parameter(string query, string field, string reason)
    {
        var problem = await (await market.Buyer.Http.GetAsync($"/v1/offers/compute?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.ErrorsFor(field));
    }

    [Fact]
    public async Task A_cursor_from_another_sort_is_refused()
    {
        var page = await Search("sort=price&limit=2");
        var cursor = page!["nextCursor"]!.GetValue<string>();
        var problem = await (await market.Buyer.Http.GetAsync($"/v1/offers/compute?sort=newest&cursor={cursor}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("same sort", problem.ErrorsFor("cursor"));
    }

    [Fact]
    public async Task An_empty_result_says_which_filter_emptied_it()
    {
        var page = await Search("gpu=H100&region=DE&maxPricePerGpuHour=0.5");
        Assert.Empty(page!["items"]!.AsArray());
        Assert.Equal("6 active compute offers match gpu=H100 and region=DE; 0 of them also match maxPricePerGpuHour=0.5.",
            page["explanation"]!.GetValue<string>());

        var first = await Search("gpu=B200&region=DE");
        Assert.Equal("15 active compute offers exist; 0 of them match gpu=B200.", first!["explanation"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_sees_its_own_drafts_and_paused_offers_with_mine()
    {
        var all = (await market.Provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?mine=true&limit=200"))!["items"]!.AsArray();
        Assert.Equal(17, all.Count);
        var drafts = (await market.Provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?mine=true&status=draft"))!["items"]!.AsArray();
        Assert.Single(drafts);
        var clientsOwn = (await Search("mine=true"))!["items"]!.AsArray();
        Assert.Empty(clientsOwn);
    }

    [Fact]
    public async Task Storage_and_model_searches_are_strict_too()
    {
        await market.Provider.Http.PostAsJsonAsync("/v1/offers/storage", new
        {
            capacityGb = 1000, pricePerGbMonth = "0.01", region = "NL", replicationFactor = 3, minDurationDays = 30, proofsEnabled = true, publish = true,
        });
        await market.Provider.Http.PostAsJsonAsync("/v1/offers/model", new
        {
            modelId = "BAAI/bge-m3", modality = "embedding", contextLength = 8192, pricePerMillionInputTokens = "0.01",
            pricePerMillionOutputTokens = "0", endpointUrl = "https://embed.example.com", requestsPerMinute = 100, publish = true,
        });
        var storage = await market.Buyer.Http.GetFromJsonAsync<JsonObject>("/v1/offers/storage?proofs=true&minReplication=3&region=NL");
        Assert.Single(storage!["items"]!.AsArray());
        var model = await market.Buyer.Http.GetFromJsonAsync<JsonObject>("/v1/offers/model?modality=embedding&minContextLength=8000");
        Assert.Equal("BAAI/bge-m3", model!["items"]![0]!["modelId"]!.GetValue<string>());
        await (await market.Buyer.Http.GetAsync("/v1/offers/storage?gpu=H100")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await market.Buyer.Http.GetAsync("/v1/offers/model?modality=video")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
