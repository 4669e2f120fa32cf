using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

public sealed class PlatformTests(MarketApi api) : IClassFixture<MarketApi>
{
    private static readonly string SnapshotPath = Path.Combine(RepositoryRoot.Path, "docs", "openapi", "v1.json");

    [Fact]
    public async Task Health_endpoints_answer_without_a_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.Client().GetAsync("/health/live")).StatusCode);
        var ready = await api.Client().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Swagger_UI_is_served()
    {
        var page = await api.Client().GetStringAsync("/swagger/index.html");
        Assert.Contains("swagger-ui", page);
    }

    [Fact]
    public async Task Each_request_is_logged_once_with_route_status_and_account_and_never_the_key()
    {
        var account = await api.SignUpAsync();
        await account.Http.GetAsync("/v1/offers/compute?gpu=H100");

        var lines = api.Logs.Lines.Where(l => l.StartsWith("HTTP GET /v1/offers/compute/ responded 200", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 0, string.Join("\n", api.Logs.Lines.Take(20)));
        Assert.Contains(lines, l => l.Contains($"account {account.Id}") && l.Contains(" ms (trace "));
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(account.Key) || l.Contains(account.Key[21..]));
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(MarketApi.OperatorKey));
    }

    [Fact]
    public async Task Served_OpenAPI_document_matches_the_committed_one()
    {
        var served = Normalise(await api.Client().GetStringAsync("/openapi/v1.json"));
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI_SNAPSHOT") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(SnapshotPath)!);
            await File.WriteAllTextAsync(SnapshotPath, served);
        }
        Assert.True(File.Exists(SnapshotPath), $"{SnapshotPath} is missing: run the tests once with UPDATE_OPENAPI_SNAPSHOT=1 and commit it.");
        var committed = await File.ReadAllTextAsync(SnapshotPath);
        Assert.True(committed == served,
            "The served OpenAPI document differs from docs/openapi/v1.json. If the API change is intended, " +
            "run the tests with UPDATE_OPENAPI_SNAPSHOT=1 and commit the new document so integrators can review the diff.");
    }

    [Fact]
    public async Task The_OpenAPI_document_offers_Authorize_summaries_and_examples()
    {
        var document = JsonNode.Parse(await api.Client().GetStringAsync("/openapi/v1.json"))!;
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["ApiKey"]!["scheme"]!.GetValue<string>());
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value!)).ToList();
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o["summary"]?.GetValue<string>()), o.ToJsonString()));
        var search = document["paths"]!["/v1/offers/compute"]!["get"]!["parameters"]!.AsArray();
        Assert.Contains(search, p => p!["name"]!.GetValue<string>() == "maxPricePerGpuHour");
        Assert.NotNull(document["components"]!["schemas"]!["ComputeOfferRequest"]!["examples"]);
        Assert.Contains("\"active\"", document["components"]!["schemas"]!["OfferStatus"]!.ToJsonString());
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Normalise(string json) => JsonSerializer.Serialize(JsonNode.Parse(json), Indented) + "\n";

    [Fact]
    public async Task Answers_that_carry_a_new_key_are_never_cached_and_nothing_is_content_sniffed()
    {
        var signUp = await api.Client().PostAsJsonAsync("/v1/accounts", new
        {
            displayName = "cache check", roles = new[] { "client" }, walletAddress = "0x00000000000000000000000000000000000ca5e1",
        });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        Assert.True(signUp.Headers.CacheControl?.NoStore, "sign-up answers with the key shown once; it must not be stored");
        var key = (await signUp.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!["key"]!.GetValue<string>();
        var second = await api.Client(key).PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "second" });
        Assert.True(second.Headers.CacheControl?.NoStore);

        foreach (var response in new[] { signUp, second, await api.Client().GetAsync("/v1/nowhere"), await api.Client().GetAsync("/swagger/index.html") })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }
}
