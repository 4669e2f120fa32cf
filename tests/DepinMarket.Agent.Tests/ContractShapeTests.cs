using System.Text.Json;

namespace DepinMarket.Agent.Tests;

/// <summary>
/// The member names the agent writes, against the node API contract (helper-notes/node-api-contract.md). The API
/// refuses unknown members, so a renamed property here is a 400 there.
/// </summary>
public class ContractShapeTests
{
    [Fact]
    public void A_heartbeat_body_has_the_contracts_members()
    {
        var body = Serialize(new HeartbeatRequest(42, "0.1.0", [new GpuReading(0, "NVIDIA H100 80GB HBM3", 37, 1024, 81559, 45)], 1200.5, null));

        Assert.Equal(["agentVersion", "bandwidthMbps", "diskFreeGb", "gpus", "sequence"], Names(body));
        Assert.Equal(["index", "memoryTotalMib", "memoryUsedMib", "model", "temperatureC", "utilizationPercent"], Names(body.GetProperty("gpus")[0]));
    }

    [Fact]
    public void Unknown_values_are_written_as_null_rather_than_left_out()
    {
        var body = Serialize(new HeartbeatRequest(42, "0.1.0", [new GpuReading(0, "NVIDIA T4", null, null, null, null)], null, null));

        Assert.Equal(JsonValueKind.Null, body.GetProperty("bandwidthMbps").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("gpus")[0].GetProperty("temperatureC").ValueKind);
    }

    [Fact]
    public void A_heartbeat_body_carries_numbers_as_json_numbers()
    {
        var body = Serialize(new HeartbeatRequest(1_764_590_400_000, "0.1.0", [], 1200.5, null));

        Assert.Equal(1_764_590_400_000, body.GetProperty("sequence").GetInt64());
        Assert.Equal(1200.5, body.GetProperty("diskFreeGb").GetDouble());
    }

    [Fact]
    public void A_registration_body_has_the_contracts_members()
    {
        Assert.Equal(["heartbeatIntervalSeconds", "name"], Names(Serialize(new RegisterNodeRequest("rig-01", 30))));
    }

    [Fact]
    public void An_answer_body_has_the_contracts_members()
    {
        Assert.Equal(["chunk", "nonce", "proof"], Names(Serialize(new ChallengeAnswer("0x00", "AA==", ["0x11"]))));
    }

    [Fact]
    public void A_compute_offer_body_has_the_contracts_members_with_region_for_the_country_as_the_offers_api_names_it()
    {
        var body = Serialize(new ComputeOfferRequest("H100", 8, null, 64, 512, 2000, "DE", "Berlin", "2.5", 1, 720, true, Guid.NewGuid()));

        Assert.Equal(
            ["city", "cpuCores", "diskGb", "gpuCount", "gpuModel", "maxHours", "minHours", "nodeId", "pricePerGpuHour", "publish", "ramGb", "region", "vramGbPerGpu"],
            Names(body));
        Assert.Equal(JsonValueKind.String, body.GetProperty("pricePerGpuHour").ValueKind);
    }

    [Fact]
    public void A_heartbeat_answer_with_challenges_is_read()
    {
        const string json = """
            {"sequence":42,"status":"up","nextHeartbeatSeconds":30,"challenges":[{"id":"6f9619ff-8b86-d011-b42d-00c04fc964ff",
             "rentalId":"7f9619ff-8b86-d011-b42d-00c04fc964ff","merkleRoot":"0x01","chunkCount":1000,"chunkSize":4096,
             "chunkIndex":17,"nonce":"0x02","deadline":"2026-12-01T12:00:00Z","somethingNew":true}]}
            """;

        var response = JsonSerializer.Deserialize<HeartbeatResponse>(json, AgentJson.Options)!;

        var challenge = Assert.Single(response.Challenges!);
        Assert.Equal((1000, 4096, 17, "0x02"), (challenge.ChunkCount, challenge.ChunkSize, challenge.ChunkIndex, challenge.Nonce));
    }

    [Fact]
    public void A_replay_problem_gives_its_last_sequence()
    {
        const string json = """{"type":"about:blank","title":"Conflict","status":409,"detail":"Sequence 41 replayed; last 42.","lastSequence":42}""";

        var problem = JsonSerializer.Deserialize<ApiProblem>(json, AgentJson.Options)!;

        Assert.Equal(42, problem.LastSequence);
    }

    private static JsonElement Serialize<T>(T value) => JsonSerializer.SerializeToElement(value, AgentJson.Options);

    private static IEnumerable<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
}
