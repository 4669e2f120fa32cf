using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Data;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests;

/// <summary>Token amounts through the real PostgreSQL (numeric(78,0)) and through the real HTTP pipeline.</summary>
public sealed class TokenAmountTests(MarketApi api) : IClassFixture<MarketApi>
{
    private const string MaxText = "115792089237316195423570985008687907853269984665640564039457.584007913129639935";

    [Fact]
    public async Task The_largest_and_the_smallest_price_survive_the_database_exactly()
    {
        var provider = await api.SignUpAsync("provider");
        var largest = await InsertAsync(provider.Id, TokenAmount.MaxValue);
        var smallest = await InsertAsync(provider.Id, new TokenAmount(BigInteger.One));

        Assert.Equal(TokenAmount.MaxValue, await ReadPriceAsync(largest));
        Assert.Equal(new TokenAmount(BigInteger.One), await ReadPriceAsync(smallest));
        // Stored as base units, not as a rounded decimal or a text.
        Assert.Equal("115792089237316195423570985008687907853269984665640564039457584007913129639935", await StoredTextAsync(largest));
        Assert.Equal("1", await StoredTextAsync(smallest));
    }

    [Fact]
    public async Task Prices_across_the_whole_range_round_trip_through_the_database()
    {
        var provider = await api.SignUpAsync("provider");
        var random = new Random(20261123);
        var prices = new List<TokenAmount> { new(BigInteger.One), new(BigInteger.Pow(10, 18) - 1), TokenAmount.MaxValue };
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 33)];
            random.NextBytes(bytes);
            prices.Add(new TokenAmount(BigInteger.Max(BigInteger.One, new BigInteger(bytes, isUnsigned: true))));
        }
        var ids = new List<Guid>();
        foreach (var price in prices)
        {
            ids.Add(await InsertAsync(provider.Id, price));
        }
        for (var i = 0; i < prices.Count; i++)
        {
            Assert.Equal(prices[i], await ReadPriceAsync(ids[i]));
        }
    }

    [Fact]
    public async Task The_largest_price_round_trips_through_the_API_and_its_search_filter()
    {
        var provider = await api.SignUpAsync("provider");
        var created = await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpu: "MI300X", price: MaxText));
        Assert.Equal(MaxText, created["pricePerGpuHour"]!.GetValue<string>());
        var id = created["id"]!.GetValue<Guid>();
        var read = await provider.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute/{id}");
        Assert.Equal(MaxText, read!["pricePerGpuHour"]!.GetValue<string>());

        var page = await provider.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu=MI300X&maxPricePerGpuHour={MaxText}");
        Assert.Contains(page!["items"]!.AsArray(), o => o!["id"]!.GetValue<Guid>() == id);
        var cheaper = await provider.Http.GetFromJsonAsync<JsonObject>(
            $"/v1/offers/compute?gpu=MI300X&maxPricePerGpuHour={MaxText[..^1]}4");
        Assert.DoesNotContain(cheaper!["items"]!.AsArray(), o => o!["id"]!.GetValue<Guid>() == id);
    }

    [Theory]
    [InlineData("\"2.1234567890123456789\"", "has 19 decimals; the token has at most 18.")]
    [InlineData("\"-1\"", "must not be negative")]
    [InlineData("2.5", "not a JSON number")]
    [InlineData("2", "not a JSON number")]
    [InlineData("\"two\"", "must be a decimal string of whole tokens")]
    [InlineData("\"1e3\"", "must be a decimal string of whole tokens")]
    [InlineData("\"" + MaxText + "1\"", "has 19 decimals")]
    [InlineData("\"115792089237316195423570985008687907853269984665640564039458\"", "larger than the largest amount the token can hold (2^256-1 base units)")]
    [InlineData("null", "not null")]
    [InlineData("true", "not true or false")]
    [InlineData("{\"baseUnits\":1}", "not a JSON object or array")]
    public async Task A_bad_price_is_a_400_naming_the_field_and_the_precise_reason(string json, string reason)
    {
        var problem = await PostWithAsync("/v1/offers/compute", Scenario.ComputeOffer(), "pricePerGpuHour", JsonNode.Parse(json));
        Assert.Contains(reason, problem.ErrorsFor("pricePerGpuHour"));
        Assert.DoesNotContain("TokenAmount", problem.ToJsonString());
    }

    [Theory]
    [InlineData("/v1/offers/storage", "pricePerGbMonth")]
    [InlineData("/v1/offers/model", "pricePerMillionInputTokens")]
    [InlineData("/v1/offers/model", "pricePerMillionOutputTokens")]
    public async Task Every_offer_kind_names_its_own_bad_price(string path, string field)
    {
        var problem = await PostWithAsync(path, OfferLifecycleTests.ValidOffer(path.Split('/')[^1]), field, "0.0000000000000000001");
        Assert.Contains("19 decimals", problem.ErrorsFor(field));
    }

    [Theory]
    [InlineData("-1", "must not be negative")]
    [InlineData("1e3", "must be a decimal string of whole tokens")]
    [InlineData("115792089237316195423570985008687907853269984665640564039458", "larger than the largest amount")]
    public async Task A_bad_price_filter_gets_the_same_reason_as_a_bad_price_in_a_body(string value, string reason)
    {
        var client = await api.SignUpAsync("client");
        var problem = await (await client.Http.GetAsync($"/v1/offers/compute?maxPricePerGpuHour={value}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.ErrorsFor("maxPricePerGpuHour"));
    }

    /// <summary>Posts a valid offer with one field replaced by <paramref name="value"/> and reads the 400 it must get.</summary>
    private async Task<JsonObject> PostWithAsync(string path, object validOffer, string field, JsonNode? value)
    {
        var provider = await api.SignUpAsync("provider");
        var body = JsonSerializer.SerializeToNode(validOffer)!.AsObject();
        body[field] = value;
        var response = await provider.Http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task<Guid> InsertAsync(Guid providerId, TokenAmount price)
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var terms = ComputeTerms.Parse("H100", 8, null, 96, 1024, 4000, "DE", null, price, 1, 720, null);
        var offer = ComputeOffer.Create(providerId, terms, publish: false, DateTimeOffset.UtcNow);
        db.ComputeOffers.Add(offer);
        await db.SaveChangesAsync();
        return offer.Id;
    }

    /// <summary>Read in a fresh context, so the value comes from PostgreSQL and not from EF's change tracker.</summary>
    private async Task<TokenAmount> ReadPriceAsync(Guid id)
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        return (await db.ComputeOffers.AsNoTracking().SingleAsync(o => o.Id == id)).PricePerGpuHour;
    }

    private async Task<string> StoredTextAsync(Guid id)
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        return await db.Database.SqlQuery<string>($"select price_per_gpu_hour::text as \"Value\" from compute_offers where id = {id}").SingleAsync();
    }
}
