using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>A signed-up account as a test sees it: its id, its key and a client that sends the key.</summary>
public sealed record TestAccount(Guid Id, string Key, HttpClient Http);

/// <summary>Calls that many tests need, written once, going through the public API like any client.</summary>
public static class Scenario
{
    private static int _counter;

    public static async Task<TestAccount> SignUpAsync(this MarketApi api, params string[] roles)
    {
        var number = Interlocked.Increment(ref _counter);
        var response = await api.Client().PostAsJsonAsync("/v1/accounts", new
        {
            displayName = $"Test account {number}",
            roles = roles.Length == 0 ? ["provider", "client"] : roles,
            walletAddress = $"0x{number:x40}",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var key = body!["apiKey"]!["key"]!.GetValue<string>();
        return new TestAccount(body["account"]!["id"]!.GetValue<Guid>(), key, api.Client(key));
    }

    public static object ComputeOffer(string gpu = "H100", string price = "2.5", string region = "DE", int gpus = 8, bool publish = true) => new
    {
        gpuModel = gpu,
        gpuCount = gpus,
        cpuCores = 96,
        ramGb = 1024,
        diskGb = 4000,
        region,
        pricePerGpuHour = price,
        minHours = 1,
        maxHours = 720,
        publish,
    };

    public static async Task<JsonObject> CreateComputeOfferAsync(this TestAccount provider, object? offer = null)
    {
        var response = await provider.Http.PostAsJsonAsync("/v1/offers/compute", offer ?? ComputeOffer());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Reads an RFC 9457 problem and checks its content type and status.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        return problem;
    }

    /// <summary>The messages a validation problem gives for one field.</summary>
    public static string ErrorsFor(this JsonObject problem, string field)
    {
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field),
            $"expected an error for \"{field}\"; got {problem.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}");
        return string.Join(" ", errors[field]!.AsArray().Select(e => e!.GetValue<string>()));
    }
}
