using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>Storage and model markets, usage reports and the reads the rental tests check after each step.</summary>
public static class RentalScenarioMore
{
    /// <summary>A provider with an active storage offer, and a funded client.</summary>
    public static async Task<(TestAccount Provider, Guid OfferId, TestAccount Client)> StorageMarketAsync(
        this MarketApi api, string pricePerGbMonth = "0.72", long capacityGb = 1000, int minDays = 1, string funds = "100")
    {
        var provider = await api.SignUpAsync("provider");
        var offer = await provider.CreateOfferAsync("storage", new
        {
            capacityGb, pricePerGbMonth, region = "NL", replicationFactor = 3, minDurationDays = minDays, proofsEnabled = true, publish = true,
        });
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, funds);
        return (provider, offer, client);
    }

    /// <summary>A provider with an active model offer (prices per million tokens), and a funded client.</summary>
    public static async Task<(TestAccount Provider, Guid OfferId, TestAccount Client)> ModelMarketAsync(
        this MarketApi api, string inputPrice = "0.5", string outputPrice = "1.5", string funds = "100")
    {
        var provider = await api.SignUpAsync("provider");
        var offer = await provider.CreateOfferAsync("model", new
        {
            modelId = "meta-llama/Llama-3.1-8B-Instruct", modality = "text", contextLength = 131072, pricePerMillionInputTokens = inputPrice,
            pricePerMillionOutputTokens = outputPrice, endpointUrl = "https://llm.example.com/v1", requestsPerMinute = 600, publish = true,
        });
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, funds);
        return (provider, offer, client);
    }

    public static async Task<Guid> CreateOfferAsync(this TestAccount provider, string kind, object offer)
    {
        var response = await provider.Http.PostAsJsonAsync($"/v1/offers/{kind}", offer);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    /// <summary>Rents and has the provider accept at once: an active rental's id.</summary>
    public static async Task<Guid> RentActiveAsync(this TestAccount client, TestAccount provider, object request)
    {
        var id = (await client.RentAsync(request))["id"]!.GetValue<Guid>();
        await provider.ActAsync(id, "accept");
        return id;
    }

    /// <summary>POST /v1/rentals/{id}/usage as the provider, answering the raw response.</summary>
    public static Task<HttpResponseMessage> ReportUsageAsync(this TestAccount provider, Guid rentalId, string requestId, long inputTokens, long outputTokens) =>
        provider.Http.PostAsJsonAsync($"/v1/rentals/{rentalId}/usage", new { requestId, inputTokens, outputTokens });

    public static async Task<JsonObject> OfferAsync(this TestAccount account, string kind, Guid offerId) =>
        (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/{kind}/{offerId}"))!;

    public static async Task<JsonArray> ChargesAsync(this TestAccount account, Guid rentalId) =>
        (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}/charges?limit=200"))!["items"]!.AsArray();

    public static async Task<JsonArray> EventsAsync(this TestAccount account, Guid rentalId) =>
        (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}/events?limit=200"))!["items"]!.AsArray();

    /// <summary>The account's rentals as client (one page of up to 100).</summary>
    public static async Task<JsonArray> RentalsAsync(this TestAccount account) =>
        (await account.Http.GetFromJsonAsync<JsonObject>("/v1/rentals?role=client&limit=100"))!["items"]!.AsArray();

    public static TokenAmount Amount(this JsonNode? node) => TokenAmount.Parse(node.Text());

    public static async Task<string> DetailAsync(this HttpResponseMessage response, HttpStatusCode expected) =>
        (await response.ProblemAsync(expected))["detail"].Text();
}
