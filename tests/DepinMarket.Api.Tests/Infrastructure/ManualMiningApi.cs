using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.Live;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The API with a chain whose mining a test switches off, so a mint waits in the node's pool until the test mines a
/// block. Runs on an anvil of its own (mining off would stall every other test), with a receipt timeout of a few
/// seconds. The background sweeps (faucet grants, deposit relays) are off unless a class sets <see cref="ResolveInterval"/>.
/// </summary>
public class ManualMiningApi : ChainMarketApi
{
    /// <summary>Bounds the polls of these tests, so a broken server fails a test instead of hanging it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private NodeRelay? _relay;

    protected override bool OwnNode => true;

    /// <summary>Whether the API reaches its node through a <see cref="NodeRelay"/>, so a test can take the node away from it while the chain goes on.</summary>
    protected virtual bool Relayed => false;

    /// <summary>The relay in front of the node (only when <see cref="Relayed"/>).</summary>
    public NodeRelay Relay => _relay ?? throw new InvalidOperationException("This fixture is not relayed.");

    /// <summary>Faucet:ResolveInterval and Deposits:ResolveInterval; zero keeps the background sweeps off, so only the tests' own lookups settle grants and relays.</summary>
    protected virtual TimeSpan ResolveInterval => TimeSpan.Zero;

    protected override IReadOnlyDictionary<string, string> ChainSettings => new Dictionary<string, string>
    {
        ["Chain:ReceiptTimeout"] = "00:00:03",
        ["Faucet:ResolveInterval"] = ResolveInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Deposits:ResolveInterval"] = ResolveInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override IReadOnlyDictionary<string, string> Settings => _relay is null
        ? base.Settings
        : new Dictionary<string, string>(base.Settings) { ["Chain:RpcUrl"] = _relay.Url.ToString() };

    // The last step before the API starts, and the first at which this fixture's own node is up: put the relay in front of it.
    protected override Task<string> CreateDatabaseAsync()
    {
        if (Relayed)
        {
            _relay ??= new NodeRelay(Anvil.RpcUrl);
        }
        return base.CreateDatabaseAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _relay?.Dispose();
    }

    /// <summary>Transactions wait in the pool until <see cref="MineAsync"/>; mining is automatic again when disposed.</summary>
    public async Task<IAsyncDisposable> ManualMiningAsync()
    {
        await RpcAsync("evm_setAutomine", false);
        return new Undo(() => RpcAsync("evm_setAutomine", true));
    }

    public async Task MineAsync() => await RpcAsync("evm_mine");

    /// <summary>Draws a grant while mining is off: its receipt cannot come in time, so it is answered 202, in doubt. Returns the mint's hash.</summary>
    public static async Task<string> DrawInDoubtAsync(HttpClient account)
    {
        var response = await account.PostAsync("/v1/faucet", null);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body?.ToJsonString());
        Assert.Equal("in_doubt", body!["status"]!.GetValue<string>());
        return body["transactionHash"]!.GetValue<string>();
    }

    /// <summary>The token owner's next nonce counting the pool: it grows as soon as a mint is broadcast.</summary>
    public async Task<BigInteger> SettlerNonceAsync() =>
        await Anvil.Client(null).Eth.GetTransactionCountAsync(AnvilNode.Account(0).ToString(), BlockParameter.Pending);

    public Task<JsonElement> RpcAsync(string method, params object[] parameters) =>
        Anvil.Rpc.SendRequestAsync<JsonElement>(method, CancellationToken.None, parameters);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails, saying what did not happen, after <see cref="Patience"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what = "the condition")
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not come about within {Patience}");
            await Task.Delay(20);
        }
    }
}

/// <summary>Runs <paramref name="undo"/> when disposed: a change to the node that a test takes back.</summary>
public sealed class Undo(Func<Task> undo) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await undo();
}
