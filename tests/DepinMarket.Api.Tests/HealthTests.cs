using System.Net;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>An API whose chain node is down: the marketplace still serves, readiness says "degraded", not "unready".</summary>
public sealed class ChainDownApi : MarketApi
{
    // Port 9 (discard) on loopback: nothing listens, so every RPC call is refused at once.
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chain:RpcUrl"] = $"http://127.0.0.1:9/v2/{ProviderKey}?apikey={ProviderKey}",
        ["Chain:ChainId"] = "31337",
        ["Chain:IsTestNetwork"] = "true",
        ["Chain:SettlerPrivateKey"] = Chain.Tests.Live.AnvilNode.DevKey(0),
        ["Chain:TokenAddress"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    };

    /// <summary>What a hosted RPC provider's URL carries; it must reach neither a response nor a log line.</summary>
    public const string ProviderKey = "sk-live-provider-key-4f9a";
}

public sealed class HealthTests(ChainDownApi api) : IClassFixture<ChainDownApi>
{
    [Fact]
    public async Task A_chain_node_that_is_down_degrades_readiness_but_the_instance_stays_ready()
    {
        var response = await api.Client().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Degraded", report["status"]!.GetValue<string>());
        Assert.Equal("Healthy", report["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Equal("Degraded", report["checks"]!["chain"]!["status"]!.GetValue<string>());

        // And the marketplace itself serves: sign-up and search need no chain.
        var account = await api.SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await account.Http.GetAsync("/v1/offers/compute")).StatusCode);
    }

    [Fact]
    public async Task A_chain_failure_is_a_502_that_names_neither_the_node_nor_its_key()
    {
        var (http, _) = await api.VerifiedAccountAsync();
        var response = await http.PostAsync("/v1/faucet", null);
        var problem = await response.ProblemAsync(HttpStatusCode.BadGateway);

        var body = problem.ToJsonString();
        Assert.DoesNotContain(ChainDownApi.ProviderKey, body);
        Assert.DoesNotContain("127.0.0.1:9", body);
        Assert.DoesNotContain(":9/", body);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(ChainDownApi.ProviderKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_answers_within_its_timeout_when_the_database_accepts_connections_and_never_replies()
    {
        using var hung = new SilentServer();
        await using var hungApi = new HungDatabaseApi(hung.Port);
        await hungApi.InitializeAsync();
        // Npgsql would wait up to its connection timeout (set to the maximum below); the check must not.
        using var http = hungApi.Client();
        http.Timeout = TimeSpan.FromSeconds(20);

        var response = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("did not answer within", report["checks"]!["database"]!["description"]!.GetValue<string>());
    }

    private sealed class HungDatabaseApi(int port) : MarketApi, IAsyncDisposable
    {
        public override Task InitializeAsync() => StartAsync($"Host=127.0.0.1;Port={port};Database=none;Username=postgres;Timeout=1024;Pooling=false");

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}

/// <summary>An API whose database is gone (nothing listens on its port): requests get a 503 to retry, never a 500.</summary>
public sealed class DatabaseGoneApi : MarketApi
{
    private static readonly int ClosedPort = FreeClosedPort();

    protected override Task<string> CreateDatabaseAsync() =>
        Task.FromResult($"Host=127.0.0.1;Port={ClosedPort};Database=none;Username=postgres;Timeout=3");

    private static int FreeClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class DatabaseGoneTests(DatabaseGoneApi api) : IClassFixture<DatabaseGoneApi>
{
    [Theory]
    [InlineData("GET", "/v1/accounts/me", true)]
    [InlineData("GET", "/v1/offers/compute", true)]
    [InlineData("POST", "/v1/accounts", false)]
    public async Task A_request_while_the_database_is_unreachable_is_a_503_with_Retry_After(string method, string path, bool withKey)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (withKey)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "dpm_0011223344556677_notarealsecret");
        }
        if (method == "POST")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new
            {
                displayName = "db gone", roles = new[] { "client" }, walletAddress = "0x00000000000000000000000000000000000db0e1",
            });
        }
        var response = await api.Client().SendAsync(request);
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("not reachable", problem["title"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("Retry-After"));
    }
}
