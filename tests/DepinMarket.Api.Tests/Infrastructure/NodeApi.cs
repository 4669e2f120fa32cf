using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The API with a clock the test moves and the node monitor's timer off: a test advances time and runs one monitor
/// pass with <see cref="MonitorAsync"/>, so a node goes down exactly when the test says.
/// </summary>
public class NodeApi : RentalApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Nodes:MonitorInterval"] = "00:00:00",
        ["Nodes:MissedIntervals"] = "3",
    };

    public Task<MonitorRun> MonitorAsync() => Services.GetRequiredService<NodeMonitor>().RunOnceAsync(CancellationToken.None);
}

/// <summary>A registered node as a test sees it: its id, its token and a client that sends the token.</summary>
public sealed record TestNode(Guid Id, string Token, HttpClient Http)
{
    private long _sequence;

    /// <summary>Sends a heartbeat with the next sequence (or the one given).</summary>
    public Task<HttpResponseMessage> BeatAsync(long? sequence = null, object? gpus = null, double diskFreeGb = 1200.5) =>
        Http.PostAsJsonAsync($"/v1/nodes/{Id}/heartbeats", new
        {
            sequence = sequence ?? Interlocked.Increment(ref _sequence),
            agentVersion = "0.1.0-test",
            gpus = gpus ?? new[] { new { index = 0, model = "NVIDIA H100 80GB HBM3", utilizationPercent = 37, memoryUsedMib = 1024, memoryTotalMib = 81559, temperatureC = 45 } },
            diskFreeGb,
            bandwidthMbps = 940.5,
        });

    public async Task BeatOkAsync()
    {
        var response = await BeatAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

public static class NodeScenario
{
    public static async Task<TestNode> RegisterNodeAsync(this MarketApi api, TestAccount provider, string name = "rig-01", int interval = 30)
    {
        var response = await provider.Http.PostAsJsonAsync("/v1/nodes", new { name, heartbeatIntervalSeconds = interval });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var http = api.Client();
        var token = body["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestNode(body["id"]!.GetValue<Guid>(), token, http);
    }

    /// <summary>A compute offer served by <paramref name="node"/>, listed at once.</summary>
    public static async Task<Guid> CreateNodeOfferAsync(this TestAccount provider, TestNode node, string gpu = "H100", string price = "2.5")
    {
        var offer = System.Text.Json.JsonSerializer.SerializeToNode(Scenario.ComputeOffer(gpu: gpu, price: price))!.AsObject();
        offer["nodeId"] = node.Id;
        var created = await provider.CreateComputeOfferAsync(offer);
        return created["id"]!.GetValue<Guid>();
    }

    public static async Task<JsonObject> HealthAsync(this TestAccount reader, Guid nodeId) =>
        (await reader.Http.GetFromJsonAsync<JsonObject>($"/v1/nodes/{nodeId}/health"))!;
}
