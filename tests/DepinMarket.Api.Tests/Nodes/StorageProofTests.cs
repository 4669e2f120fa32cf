using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Crypto;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>Storage challenges: an honest prover passes, one that dropped data fails and is slashed, silence is missed and slashed.</summary>
public sealed class StorageProofTests(TrustApi api) : IClassFixture<TrustApi>
{
    private static readonly byte[] Data = Enumerable.Range(0, 4096 * 9 + 100).Select(i => (byte)(i * 7 % 251)).ToArray();

    [Fact]
    public async Task An_honest_node_answers_every_challenge_from_its_data_and_passes()
    {
        var (_, node, client, rentalId) = await CommittedRentalAsync();
        var tree = StorageMerkleTree.Build(Data);
        for (var round = 0; round < 3; round++)
        {
            var challenge = await NextChallengeAsync(node, rentalId);
            var index = challenge["chunkIndex"]!.GetValue<int>();
            var outcome = await AnswerAsync(node, challenge, Chunk(index), tree.Proof(index));
            Assert.Equal("passed", outcome["outcome"].Text());
        }
        var history = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}/challenges"))!["items"]!.AsArray();
        Assert.Equal(3, history.Count);
        Assert.All(history, c => Assert.Equal("passed", c!["status"].Text()));
        Assert.Empty((await client.Http.GetFromJsonAsync<JsonObject>("/v1/slashes"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_node_that_dropped_data_fails_and_its_stake_pays_the_renter()
    {
        var (provider, node, client, rentalId) = await CommittedRentalAsync();
        var challenge = await NextChallengeAsync(node, rentalId);
        var index = challenge["chunkIndex"]!.GetValue<int>();
        // It kept the tree of hashes but not the bytes: it sends zeros with the right path.
        var tree = StorageMerkleTree.Build(Data);
        var outcome = await AnswerAsync(node, challenge, new byte[Chunk(index).Length], tree.Proof(index));
        Assert.Equal("failed", outcome["outcome"].Text());
        // Answering again changes nothing.
        await (await PostAnswerAsync(node, challenge, Chunk(index), tree.Proof(index))).ProblemAsync(HttpStatusCode.Conflict);

        var slash = Assert.Single((await client.Http.GetFromJsonAsync<JsonObject>("/v1/slashes"))!["items"]!.AsArray())!;
        Assert.Equal("storage_proof", slash["reason"].Text());
        Assert.Equal("4", slash["toClient"].Text());
        Assert.Equal("1", slash["toBurn"].Text());
        Assert.Equal(challenge["id"].Text(), JsonNode.Parse(slash["evidence"].Text())!["challengeId"].Text());
        Assert.Equal("395", (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/stakes"))!["staked"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_challenge_left_past_its_deadline_is_missed_and_slashed()
    {
        var (_, node, client, rentalId) = await CommittedRentalAsync();
        var challenge = await NextChallengeAsync(node, rentalId);
        api.Clock.Advance(TimeSpan.FromMinutes(11));
        await node.BeatOkAsync();
        await api.ChallengeAsync();
        var history = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}/challenges"))!["items"]!.AsArray();
        Assert.Equal("missed", history.Single(c => c!["id"].Text() == challenge["id"].Text())!["status"].Text());
        Assert.Contains((await client.Http.GetFromJsonAsync<JsonObject>("/v1/slashes"))!["items"]!.AsArray(), s => s!["reason"].Text() == "storage_proof");
        var tree = StorageMerkleTree.Build(Data);
        var index = challenge["chunkIndex"]!.GetValue<int>();
        await (await PostAnswerAsync(node, challenge, Chunk(index), tree.Proof(index))).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Malformed_and_foreign_answers_and_commitments_are_refused_with_the_reason()
    {
        var (provider, node, client, rentalId) = await CommittedRentalAsync();
        var challenge = await NextChallengeAsync(node, rentalId);
        var path = $"/v1/nodes/{node.Id}/challenges/{challenge["id"].Text()}/answer";
        async Task<JsonObject> Refused(object body) => await (await node.Http.PostAsJsonAsync(path, body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("nonce", (await Refused(new { nonce = "0x" + new string('0', 64), chunk = "AA==", proof = Array.Empty<string>() })).ToJsonString());
        Assert.Contains("chunk", (await Refused(new { nonce = challenge["nonce"].Text(), chunk = "not base64!", proof = Array.Empty<string>() })).ToJsonString());
        Assert.Contains("chunk", (await Refused(new { nonce = challenge["nonce"].Text(), chunk = Convert.ToBase64String(new byte[5000]), proof = Array.Empty<string>() })).ToJsonString());
        Assert.Contains("proof[0]", (await Refused(new { nonce = challenge["nonce"].Text(), chunk = "AA==", proof = new[] { "0x12" } })).ToJsonString());
        // Another node's token, and an API key, are not this node's.
        var other = await api.RegisterNodeAsync(provider, "other");
        await (await other.Http.PostAsJsonAsync(path, new { nonce = challenge["nonce"].Text(), chunk = "AA==", proof = Array.Empty<string>() })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.Http.GetAsync($"/v1/nodes/{node.Id}/challenges")).ProblemAsync(HttpStatusCode.Unauthorized);
        // Still open: nothing above counted.
        Assert.Single((await node.Http.GetFromJsonAsync<JsonObject>($"/v1/nodes/{node.Id}/challenges"))!["items"]!.AsArray());

        // Only the renter commits, once, to a root of 32 bytes and a count that fits the rental.
        var stranger = await api.SignUpAsync("client");
        await (await stranger.Http.PutAsJsonAsync($"/v1/rentals/{rentalId}/commitment", new { merkleRoot = "0x" + new string('a', 64), chunkCount = 1 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.Http.PutAsJsonAsync($"/v1/rentals/{rentalId}/commitment", new { merkleRoot = "0x" + new string('a', 64), chunkCount = 1 })).ProblemAsync(HttpStatusCode.Conflict);
        var (_, _, client2, rental2) = await RentedStorageAsync();
        Assert.Contains("merkleRoot", (await (await client2.Http.PutAsJsonAsync($"/v1/rentals/{rental2}/commitment", new { merkleRoot = "0xzz", chunkCount = 1 })).ProblemAsync(HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Contains("chunkCount", (await (await client2.Http.PutAsJsonAsync($"/v1/rentals/{rental2}/commitment", new { merkleRoot = "0x" + new string('a', 64), chunkCount = int.MaxValue })).ProblemAsync(HttpStatusCode.BadRequest)).ToJsonString());
    }

    private static byte[] Chunk(int index) => Data.Skip(index * 4096).Take(4096).ToArray();

    private async Task<(TestAccount Provider, TestNode Node, TestAccount Client, Guid RentalId)> RentedStorageAsync()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "400");
        await StakeTests.StakeAsync(provider, "400");
        var node = await api.RegisterNodeAsync(provider, interval: 60);
        await node.BeatOkAsync();
        var offerId = await provider.CreateOfferAsync("storage", new
        {
            capacityGb = 1000, pricePerGbMonth = "0.72", region = "NL", replicationFactor = 1, minDurationDays = 1, proofsEnabled = true, publish = true,
            autoAccept = true, nodeId = node.Id,
        });
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "100");
        var rental = await client.RentAsync(new { kind = "storage", offerId, gigabytes = 1, days = 30 });
        return (provider, node, client, rental["id"]!.GetValue<Guid>());
    }

    private async Task<(TestAccount Provider, TestNode Node, TestAccount Client, Guid RentalId)> CommittedRentalAsync()
    {
        var (provider, node, client, rentalId) = await RentedStorageAsync();
        var tree = StorageMerkleTree.Build(Data);
        var committed = await client.Http.PutAsJsonAsync($"/v1/rentals/{rentalId}/commitment", new { merkleRoot = "0x" + Convert.ToHexStringLower(tree.Root), chunkCount = tree.ChunkCount });
        Assert.True(committed.StatusCode == HttpStatusCode.OK, await committed.Content.ReadAsStringAsync());
        return (provider, node, client, rentalId);
    }

    /// <summary>Moves time past the rental's next challenge, runs the challenger, and reads the challenge from a heartbeat's answer.</summary>
    private async Task<JsonObject> NextChallengeAsync(TestNode node, Guid rentalId)
    {
        api.Clock.Advance(TimeSpan.FromHours(10) + TimeSpan.FromSeconds(1));
        await node.BeatOkAsync();
        await api.ChallengeAsync();
        var beat = (await (await node.BeatAsync()).Content.ReadFromJsonAsync<JsonObject>())!;
        return beat["challenges"]!.AsArray().Single(c => c!["rentalId"]!.GetValue<Guid>() == rentalId)!.AsObject();
    }

    private static Task<HttpResponseMessage> PostAnswerAsync(TestNode node, JsonObject challenge, byte[] chunk, IReadOnlyList<byte[]> proof) =>
        node.Http.PostAsJsonAsync($"/v1/nodes/{node.Id}/challenges/{challenge["id"].Text()}/answer", new
        {
            nonce = challenge["nonce"].Text(),
            chunk = Convert.ToBase64String(chunk),
            proof = proof.Select(p => "0x" + Convert.ToHexStringLower(p)).ToArray(),
        });

    private static async Task<JsonObject> AnswerAsync(TestNode node, JsonObject challenge, byte[] chunk, IReadOnlyList<byte[]> proof)
    {
        var response = await PostAnswerAsync(node, challenge, chunk, proof);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
