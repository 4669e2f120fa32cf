using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DepinMarket.Agent.Tests.Fakes;

/// <summary>What a test can make the fake do to the next heartbeat, before it looks at it.</summary>
public enum HeartbeatFault
{
    /// <summary>Drop the connection without an answer, as a crashed or unreachable API does to the client.</summary>
    Abort,
    ServiceUnavailable,
    /// <summary>429 with Retry-After: 7.</summary>
    TooManyRequests,
}

/// <summary>
/// A small Kestrel app on a free loopback port that plays the node API of the contract closely enough for the
/// agent: registration with a provider key, heartbeats with node tokens and strictly rising sequences (409 with
/// lastSequence), challenges verified with <see cref="StorageMerkleTree.Verify"/>, and compute offers. It records
/// what it was sent so tests can assert on it.
/// </summary>
public sealed class FakeNodeApi : IAsyncDisposable
{
    public const string ApiKey = "dpm_0123456789abcdef_provider-secret";

    public const int NextHeartbeatSeconds = 30;

    private readonly WebApplication _app;

    private readonly Lock _lock = new();

    private FakeNodeApi(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Node id → (name, token, last accepted sequence).</summary>
    public ConcurrentDictionary<Guid, FakeNode> Nodes { get; } = new();

    public List<JsonObject> Registrations { get; } = [];

    /// <summary>Every heartbeat body that reached the handler, accepted or not, with the node it was for.</summary>
    public List<(Guid NodeId, JsonObject Body)> HeartbeatsReceived { get; } = [];

    public List<(Guid NodeId, long Sequence)> HeartbeatsAccepted { get; } = [];

    public ConcurrentQueue<HeartbeatFault> HeartbeatFaults { get; } = new();

    /// <summary>Challenges every heartbeat of the node lists until answered.</summary>
    public ConcurrentDictionary<Guid, List<FakeChallenge>> OpenChallenges { get; } = new();

    public List<(Guid ChallengeId, string Outcome)> Answers { get; } = [];

    public List<JsonObject> Offers { get; } = [];

    /// <summary>The sequence a newly registered node starts from, as if the API had accepted heartbeats before.</summary>
    public long InitialLastSequence { get; set; }

    public static async Task<FakeNodeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeNodeApi(app);
        app.MapPost("/v1/nodes", (Func<HttpContext, Task<IResult>>)fake.RegisterAsync);
        app.MapPost("/v1/nodes/{id:guid}/heartbeats", fake.HeartbeatAsync);
        app.MapPost("/v1/nodes/{id:guid}/challenges/{challengeId:guid}/answer", fake.AnswerAsync);
        app.MapPost("/v1/offers/compute", (Func<HttpContext, Task<IResult>>)fake.OfferAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Address = new Uri(address);
        return fake;
    }

    /// <summary>A node the API knows without the agent having registered it (for state files made beforehand).</summary>
    public FakeNode AddNode(string name)
    {
        var node = new FakeNode(Guid.NewGuid(), name, $"dmn_{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}_secret", InitialLastSequence);
        Nodes[node.Id] = node;
        return node;
    }

    /// <summary>Opens a challenge for chunk <paramref name="chunkIndex"/> of <paramref name="data"/>, committed as the contract says.</summary>
    public FakeChallenge Challenge(Guid nodeId, Guid rentalId, byte[] data, int chunkIndex)
    {
        var tree = StorageMerkleTree.Build(data);
        var challenge = new FakeChallenge(Guid.NewGuid(), rentalId, tree.Root.ToHex(prefix: true), tree.ChunkCount, chunkIndex,
            "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        lock (_lock)
        {
            OpenChallenges.GetOrAdd(nodeId, _ => []).Add(challenge);
        }
        return challenge;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> RegisterAsync(HttpContext context)
    {
        if (await RecordWithApiKeyAsync(context, Registrations) is not { } body)
        {
            return UnknownApiKey();
        }
        var node = AddNode(body["name"]!.GetValue<string>());
        return Results.Json(new
        {
            id = node.Id, name = node.Name, providerId = Guid.Empty, heartbeatIntervalSeconds = body["heartbeatIntervalSeconds"]!.GetValue<int>(),
            status = "new", createdAt = DateTimeOffset.UtcNow, token = node.Token,
        }, statusCode: 201);
    }

    private async Task<IResult> HeartbeatAsync(HttpContext context, Guid id)
    {
        var body = await ReadAsync(context);
        lock (_lock)
        {
            HeartbeatsReceived.Add((id, body));
        }
        if (HeartbeatFaults.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case HeartbeatFault.Abort:
                    context.Abort();
                    return Results.Empty;
                case HeartbeatFault.ServiceUnavailable:
                    return Problem(503, "Service Unavailable", "The database is away.");
                default:
                    context.Response.Headers.RetryAfter = "7";
                    return Problem(429, "Too Many Requests", "Slow down.");
            }
        }
        if (!Nodes.TryGetValue(id, out var node))
        {
            return Problem(404, "Not Found", $"There is no node {id}.");
        }
        var bearer = Bearer(context);
        if (bearer != node.Token)
        {
            return Nodes.Values.Any(n => n.Token == bearer)
                ? Problem(403, "Forbidden", "The token belongs to another node.")
                : Problem(401, "Unauthorized", "The node token is unknown.");
        }
        var sequence = body["sequence"]!.GetValue<long>();
        lock (_lock)
        {
            if (sequence <= node.LastSequence)
            {
                return Results.Problem(statusCode: 409, title: "Conflict",
                    detail: $"Sequence {sequence} is not above the last accepted {node.LastSequence}.",
                    extensions: new Dictionary<string, object?> { ["lastSequence"] = node.LastSequence });
            }
            node.LastSequence = sequence;
            HeartbeatsAccepted.Add((id, sequence));
            var challenges = OpenChallenges.TryGetValue(id, out var open) ? open.Select(c => c.ToJson()).ToArray() : [];
            return Results.Json(new { sequence, status = "up", nextHeartbeatSeconds = NextHeartbeatSeconds, challenges });
        }
    }

    private async Task<IResult> AnswerAsync(HttpContext context, Guid id, Guid challengeId)
    {
        var body = await ReadAsync(context);
        FakeChallenge? challenge;
        lock (_lock)
        {
            challenge = OpenChallenges.GetValueOrDefault(id)?.FirstOrDefault(c => c.Id == challengeId);
        }
        if (!Nodes.TryGetValue(id, out var node) || Bearer(context) != node.Token || challenge is null)
        {
            return Problem(404, "Not Found", "No such open challenge.");
        }
        var chunk = Convert.FromBase64String(body["chunk"]!.GetValue<string>());
        var proof = body["proof"]!.AsArray().Select(p => p!.GetValue<string>().HexToByteArray()).ToList();
        var passed = body["nonce"]!.GetValue<string>() == challenge.Nonce
            && StorageMerkleTree.Verify(challenge.MerkleRoot.HexToByteArray(), challenge.ChunkCount, challenge.ChunkIndex, StorageMerkleTree.LeafOf(chunk), proof);
        var outcome = passed ? "passed" : "failed";
        lock (_lock)
        {
            Answers.Add((challengeId, outcome));
            OpenChallenges[id].Remove(challenge);
        }
        return Results.Json(new { id = challengeId, outcome, detail = passed ? "The chunk is in the committed tree." : "The proof does not lead to the root." });
    }

    private async Task<IResult> OfferAsync(HttpContext context)
    {
        if (await RecordWithApiKeyAsync(context, Offers) is null)
        {
            return UnknownApiKey();
        }
        return Results.Json(new { id = Guid.NewGuid(), status = "published" }, statusCode: 201);
    }

    /// <summary>The body of a provider-key call, recorded in <paramref name="into"/>; null when the key is not the fake's.</summary>
    private async Task<JsonObject?> RecordWithApiKeyAsync(HttpContext context, List<JsonObject> into)
    {
        if (Bearer(context) != ApiKey)
        {
            return null;
        }
        var body = await ReadAsync(context);
        lock (_lock)
        {
            into.Add(body);
        }
        return body;
    }

    private static IResult UnknownApiKey() => Problem(401, "Unauthorized", "The API key is unknown.");

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    private static string? Bearer(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;

    private static async Task<JsonObject> ReadAsync(HttpContext context) =>
        (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? throw new JsonException("empty body");
}

public sealed class FakeNode(Guid id, string name, string token, long lastSequence)
{
    public Guid Id { get; } = id;

    public string Name { get; } = name;

    public string Token { get; } = token;

    public long LastSequence { get; set; } = lastSequence;
}

public sealed record FakeChallenge(Guid Id, Guid RentalId, string MerkleRoot, int ChunkCount, int ChunkIndex, string Nonce)
{
    public object ToJson() => new
    {
        id = Id, rentalId = RentalId, merkleRoot = MerkleRoot, chunkCount = ChunkCount, chunkSize = StorageMerkleTree.DefaultChunkSize,
        chunkIndex = ChunkIndex, nonce = Nonce, deadline = DateTimeOffset.UtcNow.AddMinutes(10),
    };
}
