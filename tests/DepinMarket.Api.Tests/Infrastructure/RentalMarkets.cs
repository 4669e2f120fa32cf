using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// Offer bodies, read-only keys and raw bodies for the tests that attack the rental endpoints (authorization, hostile
/// input, the property test); the markets themselves are <see cref="RentalScenario"/> and <see cref="RentalScenarioMore"/>.
/// </summary>
public static class RentalMarkets
{
    public static object StorageOffer(string price = "0.002", long capacityGb = 10_000, int minDays = 30) => new
    {
        capacityGb, pricePerGbMonth = price, region = "NL", replicationFactor = 3, minDurationDays = minDays, proofsEnabled = true, publish = true,
    };

    public static object ModelOffer(string inputPrice = "0.5", string outputPrice = "1.5") => new
    {
        modelId = "meta-llama/Llama-3.1-8B-Instruct", modality = "text", contextLength = 131072, pricePerMillionInputTokens = inputPrice,
        pricePerMillionOutputTokens = outputPrice, endpointUrl = "https://llm.example.com/v1", requestsPerMinute = 600, publish = true,
    };

    /// <summary>Creates a published offer of <paramref name="kind"/> and returns its id.</summary>
    public static async Task<Guid> PublishOfferAsync(this TestAccount provider, string kind, object offer)
    {
        var response = await provider.Http.PostAsJsonAsync($"/v1/offers/{kind}", offer);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    /// <summary>A client that sends a new read-only key of <paramref name="account"/>.</summary>
    public static async Task<HttpClient> ReadOnlyClientAsync(this MarketApi api, TestAccount account)
    {
        var issued = await account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "reader", scope = "read_only" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return api.Client((await issued.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>());
    }

    /// <summary>Sends <paramref name="body"/> exactly as given (null: no body), as JSON, with a fresh Idempotency-Key.</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient http, HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return http.SendAsync(request);
    }

    /// <summary>A rental's id from a create or action answer.</summary>
    public static Guid IdOf(this JsonObject rental) => rental["id"]!.GetValue<Guid>();
}
