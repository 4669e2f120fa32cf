using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>Registering nodes and accepting or refusing their heartbeats, each refusal with its reason.</summary>
public sealed class HeartbeatTests(NodeApi api) : IClassFixture<NodeApi>
{
    [Fact]
    public async Task A_node_token_is_shown_at_registration_only_and_never_logged()
    {
        var provider = await api.SignUpAsync("provider");
        var node = await api.RegisterNodeAsync(provider);
        Assert.Matches("^dmn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", node.Token);
        var read = await provider.Http.GetStringAsync($"/v1/nodes/{node.Id}");
        var list = await provider.Http.GetStringAsync("/v1/nodes");
        Assert.DoesNotContain("dmn_", read);
        Assert.DoesNotContain("dmn_", list);
        Assert.Equal("new", JsonNode.Parse(read)!["status"].Text());
        await node.BeatOkAsync();
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(node.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_accepted_heartbeat_brings_the_node_up_and_its_readings_show_in_its_health()
    {
        var provider = await api.SignUpAsync("provider");
        var node = await api.RegisterNodeAsync(provider, interval: 20);
        var response = await node.BeatAsync(sequence: 7, diskFreeGb: 321.5);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(7, answer["sequence"]!.GetValue<long>());
        Assert.Equal("up", answer["status"].Text());
        Assert.Equal(20, answer["nextHeartbeatSeconds"]!.GetValue<int>());
        Assert.Empty(answer["challenges"]!.AsArray());

        var client = await api.SignUpAsync("client");
        var health = await client.HealthAsync(node.Id);
        Assert.Equal("up", health["status"].Text());
        Assert.Equal(7, health["lastSequence"]!.GetValue<long>());
        Assert.Equal(60, health["downAfterSeconds"]!.GetValue<long>());
        Assert.Equal(321.5, health["latest"]!["diskFreeGb"]!.GetValue<double>());
        Assert.Equal("NVIDIA H100 80GB HBM3", health["latest"]!["gpus"]![0]!["model"].Text());
        Assert.Equal(45, health["latest"]!["gpus"]![0]!["temperatureC"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replayed_or_reordered_sequence_is_refused_naming_the_last_accepted_one()
    {
        var node = await api.RegisterNodeAsync(await api.SignUpAsync("provider"));
        Assert.Equal(HttpStatusCode.OK, (await node.BeatAsync(sequence: 10)).StatusCode);
        foreach (var sequence in new long[] { 10, 9, 1 })
        {
            var problem = await (await node.BeatAsync(sequence: sequence)).ProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(10, problem["lastSequence"]!.GetValue<long>());
            Assert.Contains("sequence 10", problem["detail"].Text());
        }
        Assert.Equal(HttpStatusCode.OK, (await node.BeatAsync(sequence: 11)).StatusCode);
    }

    [Fact]
    public async Task Racing_heartbeats_with_one_sequence_are_accepted_once()
    {
        var node = await api.RegisterNodeAsync(await api.SignUpAsync("provider"));
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => node.BeatAsync(sequence: 5)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task A_heartbeat_without_a_valid_token_of_its_own_node_is_refused_with_the_reason()
    {
        var provider = await api.SignUpAsync("provider");
        var node = await api.RegisterNodeAsync(provider);
        var other = await api.RegisterNodeAsync(await api.SignUpAsync("provider"), "other");

        var anonymous = api.Client();
        var none = await (await anonymous.PostAsJsonAsync($"/v1/nodes/{node.Id}/heartbeats", new { sequence = 1, agentVersion = "x" })).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("node's own token", none["detail"].Text());

        var apiKey = await (await provider.Http.PostAsJsonAsync($"/v1/nodes/{node.Id}/heartbeats", new { sequence = 1, agentVersion = "x" })).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not an API key", apiKey["detail"].Text());

        var forged = WithToken("dmn_0123456789abcdef_" + new string('A', 43));
        var unknown = await (await forged.PostAsJsonAsync($"/v1/nodes/{node.Id}/heartbeats", new { sequence = 1, agentVersion = "x" })).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", unknown["detail"].Text());

        var foreign = await (await other.Http.PostAsJsonAsync($"/v1/nodes/{node.Id}/heartbeats", new { sequence = 1, agentVersion = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("another node", foreign["title"].Text());

        var missing = Guid.NewGuid();
        var noNode = await (await other.Http.PostAsJsonAsync($"/v1/nodes/{missing}/heartbeats", new { sequence = 1, agentVersion = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(missing.ToString(), noNode["detail"].Text());

        // None of the refused heartbeats counted.
        var health = await provider.HealthAsync(node.Id);
        Assert.Equal("new", health["status"].Text());
        Assert.Equal(0, health["lastSequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_node_token_is_not_an_api_key_anywhere_else()
    {
        var node = await api.RegisterNodeAsync(await api.SignUpAsync("provider"));
        var problem = await (await node.Http.GetAsync("/v1/nodes")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("node token", problem["detail"].Text());
    }

    [Fact]
    public async Task Rotating_the_token_shuts_the_old_one_out_at_once()
    {
        var provider = await api.SignUpAsync("provider");
        var node = await api.RegisterNodeAsync(provider);
        await node.BeatOkAsync();
        var rotated = (await (await provider.Http.PostAsync($"/v1/nodes/{node.Id}/rotate-token", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        var fresh = rotated["token"].Text();
        Assert.NotEqual(node.Token, fresh);
        await (await node.BeatAsync()).ProblemAsync(HttpStatusCode.Unauthorized);
        var renewed = node with { Token = fresh, Http = WithToken(fresh) };
        Assert.Equal(HttpStatusCode.OK, (await renewed.BeatAsync(sequence: 100)).StatusCode);
    }

    [Theory]
    [InlineData("""{"sequence":0,"agentVersion":"1"}""", "sequence")]
    [InlineData("""{"sequence":9007199254740992,"agentVersion":"1"}""", "sequence")]
    [InlineData("""{"sequence":1,"agentVersion":""}""", "agentVersion")]
    [InlineData("""{"sequence":1,"agentVersion":"1","gpus":[{"index":0,"model":"H100","temperatureC":500}]}""", "gpus[0].temperatureC")]
    [InlineData("""{"sequence":1,"agentVersion":"1","gpus":[{"index":0,"model":"H100","utilizationPercent":101}]}""", "gpus[0].utilizationPercent")]
    [InlineData("""{"sequence":1,"agentVersion":"1","gpus":[{"index":0,"model":"H100","memoryUsedMib":10,"memoryTotalMib":5}]}""", "gpus[0].memoryUsedMib")]
    [InlineData("""{"sequence":1,"agentVersion":"1","gpus":[{"index":0,"model":"a"},{"index":0,"model":"b"}]}""", "gpus")]
    [InlineData("""{"sequence":1,"agentVersion":"1","diskFreeGb":-1}""", "diskFreeGb")]
    [InlineData("""{"sequence":1,"agentVersion":"1","gpus":[{"index":0,"model":"H\u0000100"}]}""", "gpus[0].model")]
    [InlineData("""{"sequence":1,"agentVersion":"1","temperature":3}""", "temperature")]
    [InlineData("""{"sequence":"1","agentVersion":"1"}""", "sequence")]
    [InlineData("""{"sequence":1e30,"agentVersion":"1"}""", "sequence")]
    public async Task A_malformed_heartbeat_is_a_400_naming_the_field(string body, string field)
    {
        var node = await api.RegisterNodeAsync(await api.SignUpAsync("provider"));
        var response = await node.Http.PostAsync($"/v1/nodes/{node.Id}/heartbeats", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ToJsonString());
    }

    [Fact]
    public async Task Another_providers_node_does_not_exist_for_the_caller_and_cannot_back_its_offers()
    {
        var owner = await api.SignUpAsync("provider");
        var node = await api.RegisterNodeAsync(owner);
        var intruder = await api.SignUpAsync("provider");
        await (await intruder.Http.GetAsync($"/v1/nodes/{node.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PostAsync($"/v1/nodes/{node.Id}/rotate-token", null)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await intruder.Http.GetFromJsonAsync<JsonObject>("/v1/nodes"))!["items"]!.AsArray());
        // A client-only account registers no node at all.
        var client = await api.SignUpAsync("client");
        await (await client.Http.PostAsJsonAsync("/v1/nodes", new { name = "not mine" })).ProblemAsync(HttpStatusCode.Forbidden);

        var offer = System.Text.Json.JsonSerializer.SerializeToNode(Scenario.ComputeOffer())!.AsObject();
        offer["nodeId"] = node.Id;
        var refused = await (await intruder.Http.PostAsJsonAsync("/v1/offers/compute", offer)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no node", refused.ErrorsFor("nodeId"));
        // The owner's token still works: nothing the intruder did changed the node.
        await node.BeatOkAsync();
    }

    [Fact]
    public async Task Nodes_are_listed_newest_first_a_page_at_a_time()
    {
        var provider = await api.SignUpAsync("provider");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await api.RegisterNodeAsync(provider, $"n{i}")).Id);
            api.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        var first = (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/nodes?limit=2"))!;
        var second = (await provider.Http.GetFromJsonAsync<JsonObject>($"/v1/nodes?limit=2&cursor={first["nextCursor"].Text()}"))!;
        Assert.Equal([ids[2], ids[1], ids[0]], first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(n => n!["id"]!.GetValue<Guid>()));
        Assert.Null(second["nextCursor"]);
        await (await provider.Http.GetAsync("/v1/nodes?cursor=eyJ4IjoxfQ")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    private HttpClient WithToken(string token)
    {
        var http = api.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
