using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.Live;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The faucet when a mint's outcome is not known at once: anvil's automatic mining is switched off, so a mint waits
/// in the node's pool until the test mines a block. Runs on an anvil of its own (mining off would stall every other
/// test), with a receipt timeout of a few seconds.
/// </summary>
public sealed class FaucetInDoubtTests(FaucetInDoubtTests.ManualMining api) : IClassFixture<FaucetInDoubtTests.ManualMining>
{
    private static readonly BigInteger OneGrant = BigInteger.Parse("250500000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    // Bounds the polls below, so a broken server fails the test instead of hanging it.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public sealed class ManualMining : ChainMarketApi
    {
        protected override bool OwnNode => true;

        protected override IReadOnlyDictionary<string, string> ChainSettings => new Dictionary<string, string>
        {
            ["Chain:ReceiptTimeout"] = "00:00:03",
        };
    }

    [Fact]
    public async Task A_client_that_hangs_up_while_the_mint_is_pending_keeps_its_grant_and_exactly_one_mint_reaches_the_chain()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        await using (await ManualMiningAsync())
        {
            var sent = await SettlerNonceAsync();
            using var hangUp = new CancellationTokenSource();
            var request = account.PostAsync("/v1/faucet", null, hangUp.Token);
            await UntilAsync(async () => await SettlerNonceAsync() > sent);
            hangUp.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
            await MineAsync();
        }

        var again = await account.PostAsync("/v1/faucet", null);
        await again.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(before + OneGrant, await api.BalanceOfAsync(key.GetPublicAddress()));
        var last = await LastGrantAsync(account);
        Assert.Equal("confirmed", last["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receipt_timeout_leaves_the_grant_in_doubt_until_a_lookup_finds_the_mint_mined()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        string hash;
        await using (await ManualMiningAsync())
        {
            var response = await account.PostAsync("/v1/faucet", null);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body?.ToJsonString());
            Assert.Equal("in_doubt", body!["status"]!.GetValue<string>());
            hash = body["transactionHash"]!.GetValue<string>();
            Assert.Equal("in_doubt", (await LastGrantAsync(account))["status"]!.GetValue<string>());

            await (await account.PostAsync("/v1/faucet", null)).ProblemAsync(HttpStatusCode.TooManyRequests);
            await MineAsync();
        }

        var last = await LastGrantAsync(account);
        Assert.Equal("confirmed", last["status"]!.GetValue<string>());
        Assert.Equal(hash, last["transactionHash"]!.GetValue<string>());
        await (await account.PostAsync("/v1/faucet", null)).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(before + OneGrant, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    [Fact]
    public async Task A_mint_the_node_dropped_is_sent_again_from_the_stored_bytes_not_signed_anew()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        await using (await ManualMiningAsync())
        {
            var response = await account.PostAsync("/v1/faucet", null);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var hash = (await response.Content.ReadFromJsonAsync<JsonObject>())!["transactionHash"]!.GetValue<string>();
            await RpcAsync("anvil_dropTransaction", hash);
            Assert.Equal(JsonValueKind.Null, (await RpcAsync("eth_getTransactionByHash", hash)).ValueKind);

            // The lookup finds no receipt and the node does not know the mint: it gets the same transaction again.
            Assert.Equal("in_doubt", (await LastGrantAsync(account))["status"]!.GetValue<string>());
            Assert.Equal(hash, (await RpcAsync("eth_getTransactionByHash", hash)).GetProperty("hash").GetString());
            await MineAsync();

            var last = await LastGrantAsync(account);
            Assert.Equal("confirmed", last["status"]!.GetValue<string>());
            Assert.Equal(hash, last["transactionHash"]!.GetValue<string>());
        }
        Assert.Equal(before + OneGrant, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    [Fact]
    public async Task A_mint_that_reverts_on_chain_gives_the_cooldown_back()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        HttpResponseMessage response;
        await using (await ManualMiningAsync())
        {
            var sent = await SettlerNonceAsync();
            var request = account.PostAsync("/v1/faucet", null);
            await UntilAsync(async () => await SettlerNonceAsync() > sent);
            // The mint was estimated and signed against the real token; by the time it is mined, the token reverts.
            await using (await RevertingTokenAsync())
            {
                await MineAsync();
                response = await request;
            }
        }
        // 503 when the server saw the receipt in time; 202 (in doubt) when its wait ran out first. Either way the
        // lookup below settles it as failed.
        Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Contains("reverted", (await response.ProblemAsync(HttpStatusCode.ServiceUnavailable))["detail"]!.GetValue<string>());
        }
        Assert.Equal("failed", (await LastGrantAsync(account))["status"]!.GetValue<string>());
        Assert.Equal(before, await api.BalanceOfAsync(key.GetPublicAddress()));

        var again = await account.PostAsync("/v1/faucet", null);
        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Assert.Equal(before + OneGrant, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    [Fact]
    public async Task A_mint_refused_before_it_is_signed_gives_the_reservation_back()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        await using (await RevertingTokenAsync())
        {
            // The gas estimate reverts, so nothing is signed and nothing can reach the chain.
            var refused = await account.PostAsync("/v1/faucet", null);
            Assert.False(refused.IsSuccessStatusCode);
            Assert.NotEqual(HttpStatusCode.InternalServerError, refused.StatusCode);
        }
        await (await account.GetAsync("/v1/faucet")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await account.PostAsync("/v1/faucet", null)).StatusCode);
        Assert.Equal(before + OneGrant, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    private static async Task<JsonObject> LastGrantAsync(HttpClient account)
    {
        var response = await account.GetAsync("/v1/faucet");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        return body!;
    }

    /// <summary>Transactions wait in the pool until <see cref="MineAsync"/>; mining is automatic again when disposed.</summary>
    private async Task<IAsyncDisposable> ManualMiningAsync()
    {
        await RpcAsync("evm_setAutomine", false);
        return new Undo(() => RpcAsync("evm_setAutomine", true));
    }

    /// <summary>The token's code replaced by "revert()" (PUSH1 0 PUSH1 0 REVERT), its storage kept; restored when disposed.</summary>
    private async Task<IAsyncDisposable> RevertingTokenAsync()
    {
        var token = api.Contracts.Token.ToString();
        var code = (await RpcAsync("eth_getCode", token, "latest")).GetString()!;
        await RpcAsync("anvil_setCode", token, "0x60006000fd");
        return new Undo(() => RpcAsync("anvil_setCode", token, code));
    }

    private async Task MineAsync() => await RpcAsync("evm_mine");

    private async Task<BigInteger> SettlerNonceAsync() =>
        await api.Anvil.Client(null).Eth.GetTransactionCountAsync(AnvilNode.Account(0).ToString(), BlockParameter.Pending);

    private Task<JsonElement> RpcAsync(string method, params object[] parameters) =>
        api.Anvil.Rpc.SendRequestAsync<JsonElement>(method, CancellationToken.None, parameters);

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(20, patience.Token);
        }
    }

    private sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }
}
