using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>Whatever a client sends, the answer is a 4xx problem that names what was wrong, never a 500.</summary>
public sealed class BadInputTests(MarketApi api) : IClassFixture<MarketApi>
{
    private Task<TestAccount> Provider => api.SignUpAsync("provider");

    [Theory]
    [InlineData("2.1234567890123456789", "pricePerGpuHour", "19 decimals")]
    [InlineData("-1", "pricePerGpuHour", "negative")]
    [InlineData("1e3", "pricePerGpuHour", "decimal string")]
    [InlineData("0", "pricePerGpuHour", "greater than zero")]
    public async Task Bad_amounts_are_400s_naming_the_field(string price, string field, string reason)
    {
        var provider = await Provider;
        var response = await provider.Http.PostAsJsonAsync("/v1/offers/compute", Scenario.ComputeOffer(price: price));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.ErrorsFor(field));
    }

    [Fact]
    public async Task An_amount_sent_as_a_JSON_number_is_refused_because_numbers_lose_precision()
    {
        var provider = await Provider;
        var response = await Raw(provider, "/v1/offers/compute", Json(Scenario.ComputeOffer()).Replace("\"2.5\"", "2.5", StringComparison.Ordinal));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("string", problem.ErrorsFor("pricePerGpuHour"));
    }

    [Fact]
    public async Task Unknown_GPU_model_lists_the_known_ones()
    {
        var provider = await Provider;
        var problem = await (await provider.Http.PostAsJsonAsync("/v1/offers/compute", Scenario.ComputeOffer(gpu: "H1OO"))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("RTX-5090", problem.ErrorsFor("gpuModel"));
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var provider = await Provider;
        var offer = JsonNode.Parse(Json(Scenario.ComputeOffer()))!.AsObject();
        offer["gpuCount"] = 0;
        offer["region"] = "XX";
        offer["minHours"] = 10;
        offer["maxHours"] = 5;
        var problem = await (await Raw(provider, "/v1/offers/compute", offer.ToJsonString())).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("between 1 and 64", problem.ErrorsFor("gpuCount"));
        Assert.Contains("ISO 3166", problem.ErrorsFor("region"));
        Assert.Contains("at least minHours", problem.ErrorsFor("maxHours"));
    }

    [Theory]
    [InlineData("/v1/accounts/me/spend-cap", "PUT")]
    [InlineData("/v1/webhooks", "POST")]
    [InlineData("/v1/webhooks/00000000-0000-0000-0000-000000000001", "PATCH")]
    public async Task A_request_without_its_body_says_a_JSON_body_is_required_and_nothing_of_the_framework(string path, string method)
    {
        var provider = await Provider;
        var response = await provider.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("A JSON body is required.", problem["title"]!.GetValue<string>());
        Assert.DoesNotContain("parameter", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain("Service", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_misspelt_field_is_refused_not_ignored()
    {
        var provider = await Provider;
        var body = Json(Scenario.ComputeOffer()).Replace("pricePerGpuHour", "pricePerGpuHr", StringComparison.Ordinal);
        var problem = await (await Raw(provider, "/v1/offers/compute", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not a field", problem.ErrorsFor("pricePerGpuHr"));
    }

    [Fact]
    public async Task A_missing_field_is_named()
    {
        var provider = await Provider;
        var problem = await (await Raw(provider, "/v1/offers/compute", "{\"gpuModel\":\"H100\"}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("required", problem.ErrorsFor("pricePerGpuHour"));
    }

    [Fact]
    public async Task Out_of_range_number_and_wrong_type_are_named()
    {
        var provider = await Provider;
        var tooBig = Json(Scenario.ComputeOffer()).Replace("\"gpuCount\":8", "\"gpuCount\":99999999999", StringComparison.Ordinal);
        // The domain's range, not int32's: a client learns what it may send.
        Assert.Contains("whole number from 1 to 64", (await (await Raw(provider, "/v1/offers/compute", tooBig)).ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("gpuCount"));
        var text = Json(Scenario.ComputeOffer()).Replace("\"gpuCount\":8", "\"gpuCount\":\"eight\"", StringComparison.Ordinal);
        Assert.Contains("whole number", (await (await Raw(provider, "/v1/offers/compute", text)).ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("gpuCount"));
    }

    [Fact]
    public async Task Unknown_enum_value_lists_the_allowed_ones()
    {
        var provider = await Provider;
        var body = new JsonObject
        {
            ["modelId"] = "a/b", ["modality"] = "video", ["contextLength"] = 1000, ["pricePerMillionInputTokens"] = "1",
            ["pricePerMillionOutputTokens"] = "1", ["endpointUrl"] = "https://x.example.com", ["requestsPerMinute"] = 10,
        };
        var problem = await (await Raw(provider, "/v1/offers/model", body.ToJsonString())).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"embedding\"", problem.ErrorsFor("modality"));
    }

    [Fact]
    public async Task Model_endpoint_must_be_https()
    {
        var provider = await Provider;
        var body = JsonNode.Parse(Json(OfferLifecycleTests.ValidOffer("model")))!.AsObject();
        body["endpointUrl"] = "http://plain.example.com";
        var problem = await (await Raw(provider, "/v1/offers/model", body.ToJsonString())).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("https", problem.ErrorsFor("endpointUrl"));
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400()
    {
        var provider = await Provider;
        await (await Raw(provider, "/v1/offers/compute", "{\"gpuModel\": \"H100\",")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Raw(provider, "/v1/offers/compute", "")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415()
    {
        var provider = await Provider;
        var response = await provider.Http.PostAsync("/v1/offers/compute", new StringContent(Json(Scenario.ComputeOffer()), Encoding.UTF8, "text/plain"));
        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_oversize_body_is_a_413()
    {
        var provider = await Provider;
        var huge = "{\"gpuModel\":\"" + new string('x', 200_000) + "\"}";
        await (await Raw(provider, "/v1/offers/compute", huge)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problems_too()
    {
        var provider = await Provider;
        await (await provider.Http.GetAsync("/v1/nothing-here")).ProblemAsync(HttpStatusCode.NotFound);
        await (await provider.Http.GetAsync("/v1/offers/compute/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound);
        await (await provider.Http.DeleteAsync("/v1/offers/compute")).ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>A bounded, seeded fuzz over every body-taking endpoint: no input may produce a 5xx.</summary>
    [Fact]
    public async Task Random_bodies_never_produce_a_server_error()
    {
        var provider = await Provider;
        var random = new Random(20261122);
        string[] paths = ["/v1/accounts", "/v1/accounts/me/api-keys", "/v1/offers/compute", "/v1/offers/storage", "/v1/offers/model"];
        JsonNode?[] values = [null, 0, -1, 1e300, "", "x", "-0.0", "99999999999999999999999999999999999999999999999999999999999999999999999999999999", true, new JsonArray(), new JsonObject()];
        string[] fields = ["displayName", "roles", "walletAddress", "name", "scope", "gpuModel", "gpuCount", "pricePerGpuHour", "region", "capacityGb",
            "pricePerGbMonth", "modelId", "modality", "endpointUrl", "contextLength", "publish", "minHours", "maxHours"];
        for (var i = 0; i < 150; i++)
        {
            var body = new JsonObject();
            foreach (var field in fields.Where(_ => random.Next(3) == 0))
            {
                body[field] = values[random.Next(values.Length)]?.DeepClone();
            }
            var path = paths[random.Next(paths.Length)];
            var response = await Raw(provider, path, body.ToJsonString());
            Assert.True((int)response.StatusCode < 500, $"{path} {body.ToJsonString()} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string Json(object value) => JsonContent.Create(value).ReadAsStringAsync().GetAwaiter().GetResult();

    private static Task<HttpResponseMessage> Raw(TestAccount account, string path, string body) =>
        account.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
}
