using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Agent;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Crypto;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary><see cref="TrustApi"/> with a challenge every five minutes on average, so an hour of network sees several.</summary>
public sealed class TrustNetworkApi : TrustApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["StorageProofs:MeanInterval"] = "00:05:00",
    };
}

/// <summary>
/// Issue 10's "done when", end to end: two fleets of the shipped agent run with --simulate against the real API, one
/// steady and honest, one that goes silent for 20 minutes and has dropped its renter's data. Nobody files a claim.
/// </summary>
public sealed class TrustNetworkTests(TrustNetworkApi api) : IClassFixture<TrustNetworkApi>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("trust-network-").FullName;
    private static readonly byte[] Data = Enumerable.Range(0, 4096 * 20 + 7).Select(i => (byte)(i * 31 % 253)).ToArray();

    [Fact]
    public async Task Outages_are_hidden_and_credited_dropped_data_is_caught_and_search_ranks_the_steady_provider_first()
    {
        var honest = await FleetAsync("honest", "2.0");
        var flaky = await FleetAsync("flaky", "1.5");
        await RunAsync(honest);
        await RunAsync(flaky);
        var honestNodes = await NodesAsync(honest.Provider);
        var flakyNodes = await NodesAsync(flaky.Provider);

        // A client rents GPUs and storage from both; it commits its data, which only the honest fleet kept intact.
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "500");
        var flakyGpus = await client.RentActiveAsync(flaky.Provider, new { kind = "compute", offerId = await OfferOfAsync(flaky.Provider, flakyNodes[0]), gpus = 2, hours = 5 });
        var honestGpus = await client.RentActiveAsync(honest.Provider, new { kind = "compute", offerId = await OfferOfAsync(honest.Provider, honestNodes[0]), gpus = 2, hours = 5 });
        var honestStorage = await RentStorageAsync(client, honest, honestNodes[1], Data);
        var flakyStorage = await RentStorageAsync(client, flaky, flakyNodes[1], new byte[Data.Length]);

        // An hour, a minute at a time; the flaky fleet is silent from minute 20 to minute 40.
        for (var minute = 1; minute <= 60; minute++)
        {
            api.Clock.Advance(TimeSpan.FromMinutes(1));
            await RunAsync(honest);
            if (minute is < 20 or >= 40)
            {
                await RunAsync(flaky);
            }
            await api.MonitorAsync();
            await api.ChallengeAsync();
            if (minute == 30)
            {
                var listed = await SearchIdsAsync(client, "");
                Assert.DoesNotContain(await OfferOfAsync(flaky.Provider, flakyNodes[0]), listed);
                Assert.Contains(await OfferOfAsync(honest.Provider, honestNodes[0]), listed);
            }
            if (minute % 10 == 0)
            {
                await api.MeterAsync();
                await api.DowntimeAsync();
            }
        }
        await api.MeterAsync();
        await api.DowntimeAsync();

        // The renter was credited for the flaky fleet's outage beyond grace, from its stake, and not charged for it.
        var slashes = (await client.Http.GetFromJsonAsync<JsonObject>("/v1/slashes?limit=100"))!["items"]!.AsArray();
        var downtime = Assert.Single(slashes, s => s!["reason"].Text() == "downtime" && s["rentalId"]!.GetValue<Guid>() == flakyGpus)!;
        Assert.Equal(flaky.Provider.Id, downtime["providerId"]!.GetValue<Guid>());
        Assert.True(downtime["toClient"].Amount() > Domain.Money.TokenAmount.Zero);
        var flakyRental = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{flakyGpus}"))!;
        var honestRental = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{honestGpus}"))!;
        Assert.True(flakyRental["charged"].Amount() < honestRental["charged"].Amount());

        // Storage challenges: the honest fleet passed every one, the flaky fleet failed (or missed) every one and paid for each.
        var honestChallenges = await ChallengesAsync(client, honestStorage);
        var flakyChallenges = await ChallengesAsync(client, flakyStorage);
        Assert.NotEmpty(honestChallenges);
        Assert.All(honestChallenges.Where(c => c["status"].Text() != "open"), c => Assert.Equal("passed", c["status"].Text()));
        Assert.Contains(flakyChallenges, c => c["status"].Text() is "failed" or "missed");
        Assert.DoesNotContain(flakyChallenges, c => c["status"].Text() == "passed");
        Assert.Contains(slashes, s => s!["reason"].Text() == "storage_proof" && s["providerId"]!.GetValue<Guid>() == flaky.Provider.Id);
        Assert.DoesNotContain(slashes, s => s!["providerId"]!.GetValue<Guid>() == honest.Provider.Id);

        // Search ranks by reputation: every honest offer above every flaky one, though the flaky fleet is cheaper.
        await api.RefreshReputationAsync();
        var ranked = await SearchIdsAsync(client, "&sort=reputation");
        var honestOffers = await MineAsync(honest.Provider);
        var flakyOffers = await MineAsync(flaky.Provider);
        Assert.True(honestOffers.Max(o => ranked.IndexOf(o)) < flakyOffers.Where(ranked.Contains).Min(o => ranked.IndexOf(o)));
        var cheapest = await SearchIdsAsync(client, "&sort=price");
        Assert.Contains(cheapest[0], flakyOffers);

        await api.AssertLedgerCleanAsync();
    }

    private sealed record Fleet(TestAccount Provider, string[] Args, string StorageDir);

    private async Task<Fleet> FleetAsync(string name, string price)
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "4000");
        await StakeTests.StakeAsync(provider, "3300");
        var storage = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        return new Fleet(provider, ["--api", api.Client().BaseAddress!.ToString().TrimEnd('/'), "--api-key", provider.Key,
            "--state", Path.Combine(_root, $"{name}.json"), "--simulate", "2", "--name", name, "--interval", "30",
            "--offer-price", price, "--region", "DE", "--storage-dir", storage, "--once"], storage);
    }

    private static async Task RunAsync(Fleet fleet)
    {
        var (options, error) = AgentOptions.Parse(fleet.Args, _ => null);
        Assert.True(options is not null, error);
        using var log = new StringWriter();
        var code = await AgentHost.RunAsync(options!, new AgentLog(log, verbose: false, TimeProvider.System), AgentClock.System, handler: null, CancellationToken.None);
        Assert.True(code == ExitCodes.Ok, log.ToString());
    }

    private static async Task<Guid[]> NodesAsync(TestAccount provider) =>
        (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/nodes"))!["items"]!.AsArray().Select(n => n!["id"]!.GetValue<Guid>()).Order().ToArray();

    private static async Task<Guid> OfferOfAsync(TestAccount provider, Guid node) =>
        (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?mine=true&limit=100"))!["items"]!.AsArray()
            .Single(o => o!["reliability"]!["nodeId"]!.GetValue<Guid>() == node)!["id"]!.GetValue<Guid>();

    private static async Task<List<Guid>> MineAsync(TestAccount provider) =>
        (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?mine=true&limit=100"))!["items"]!.AsArray().Select(o => o!["id"]!.GetValue<Guid>()).ToList();

    private static async Task<List<Guid>> SearchIdsAsync(TestAccount client, string query) =>
        (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu=H100&limit=100{query}"))!["items"]!.AsArray().Select(o => o!["id"]!.GetValue<Guid>()).ToList();

    /// <summary>Rents 1 GB on the fleet's node, commits to <see cref="Data"/>, and leaves <paramref name="kept"/> in the node's storage folder.</summary>
    private static async Task<Guid> RentStorageAsync(TestAccount client, Fleet fleet, Guid node, byte[] kept)
    {
        var offerId = await fleet.Provider.CreateOfferAsync("storage", new
        {
            capacityGb = 1000, pricePerGbMonth = "0.72", region = "DE", replicationFactor = 1, minDurationDays = 1, proofsEnabled = true,
            publish = true, autoAccept = true, nodeId = node,
        });
        var rentalId = (await client.RentAsync(new { kind = "storage", offerId, gigabytes = 1, days = 30 }))["id"]!.GetValue<Guid>();
        var tree = StorageMerkleTree.Build(Data);
        var committed = await client.Http.PutAsJsonAsync($"/v1/rentals/{rentalId}/commitment", new { merkleRoot = "0x" + Convert.ToHexStringLower(tree.Root), chunkCount = tree.ChunkCount });
        Assert.True(committed.IsSuccessStatusCode, await committed.Content.ReadAsStringAsync());
        await File.WriteAllBytesAsync(Path.Combine(fleet.StorageDir, rentalId.ToString("D")), kept);
        return rentalId;
    }

    private static async Task<List<JsonObject>> ChallengesAsync(TestAccount client, Guid rentalId) =>
        (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}/challenges"))!["items"]!.AsArray().Select(c => c!.AsObject()).ToList();

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
