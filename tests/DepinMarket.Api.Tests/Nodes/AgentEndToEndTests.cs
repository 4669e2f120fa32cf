using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Agent;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>The shipped agent (src/DepinMarket.Agent) against the real API over HTTP: register, declare offers, beat, restart.</summary>
public sealed class AgentEndToEndTests(NodeApi api) : IClassFixture<NodeApi>, IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"agent-state-{Guid.NewGuid():N}.json");

    [Fact]
    public async Task Simulated_agents_register_declare_offers_beat_and_reuse_their_nodes_after_a_restart()
    {
        var provider = await api.SignUpAsync("provider");
        string[] args = ["--api", api.Client().BaseAddress!.ToString().TrimEnd('/'), "--api-key", provider.Key, "--state", _state,
            "--simulate", "3", "--name", "sim", "--offer-price", "1.75", "--region", "DE", "--once"];
        Assert.Equal(ExitCodes.Ok, await RunAgentAsync(args));

        var nodes = (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/nodes"))!["items"]!.AsArray();
        Assert.Equal(3, nodes.Count);
        var client = await api.SignUpAsync("client");
        foreach (var node in nodes)
        {
            var health = await client.HealthAsync(node!["id"]!.GetValue<Guid>());
            Assert.Equal("up", health["status"].Text());
            Assert.NotEmpty(health["latest"]!["gpus"]!.AsArray());
        }
        var mine = (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?mine=true&limit=100"))!["items"]!.AsArray();
        Assert.Equal(3, mine.Count);
        Assert.All(mine, o => Assert.Equal("1.75", o!["pricePerGpuHour"].Text()));
        Assert.Equal(nodes.Select(n => n!["id"]!.GetValue<Guid>()).Order(), mine.Select(o => o!["reliability"]!["nodeId"]!.GetValue<Guid>()).Order());

        // A restart reuses the three nodes and their offers, and continues each node's sequence.
        var sequences = new Dictionary<Guid, long>();
        foreach (var id in nodes.Select(n => n!["id"]!.GetValue<Guid>()))
        {
            sequences[id] = (await client.HealthAsync(id))["lastSequence"]!.GetValue<long>();
        }
        Assert.Equal(ExitCodes.Ok, await RunAgentAsync(args));
        var after = (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/nodes"))!["items"]!.AsArray();
        Assert.Equal(3, after.Count);
        foreach (var id in sequences.Keys)
        {
            Assert.True((await client.HealthAsync(id))["lastSequence"]!.GetValue<long>() > sequences[id]);
        }
        Assert.Equal(3, (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?mine=true&limit=100"))!["items"]!.AsArray().Count);
    }

    private static async Task<int> RunAgentAsync(string[] args)
    {
        var (options, error) = AgentOptions.Parse(args, _ => null);
        Assert.True(options is not null, error);
        using var log = new StringWriter();
        var code = await AgentHost.RunAsync(options!, new AgentLog(log, verbose: true, TimeProvider.System), AgentClock.System, handler: null, CancellationToken.None);
        Assert.True(code == ExitCodes.Ok, log.ToString());
        return code;
    }

    public void Dispose() => File.Delete(_state);
}
