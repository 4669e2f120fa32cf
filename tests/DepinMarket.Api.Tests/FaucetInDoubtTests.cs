using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The faucet when a mint's outcome is not known at once: anvil's automatic mining is switched off, so a mint waits
/// in the node's pool until the test mines a block. The background sweep is off here, so what settles a grant is the
/// lookup each test makes (FaucetBackgroundSweepTests shows the sweep).
/// </summary>
public sealed class FaucetInDoubtTests(ManualMiningApi api) : IClassFixture<ManualMiningApi>
{
    private static readonly BigInteger OneGrant = BigInteger.Parse("250500000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_client_that_hangs_up_while_the_mint_is_pending_keeps_its_grant_and_exactly_one_mint_reaches_the_chain()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        await using (await api.ManualMiningAsync())
        {
            var sent = await api.SettlerNonceAsync();
            using var hangUp = new CancellationTokenSource();
            var request = account.PostAsync("/v1/faucet", null, hangUp.Token);
            await ManualMiningApi.UntilAsync(async () => await api.SettlerNonceAsync() > sent);
            hangUp.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
            await api.MineAsync();
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
        await using (await api.ManualMiningAsync())
        {
            hash = await ManualMiningApi.DrawInDoubtAsync(account);
            Assert.Equal("in_doubt", (await LastGrantAsync(account))["status"]!.GetValue<string>());

            await (await account.PostAsync("/v1/faucet", null)).ProblemAsync(HttpStatusCode.TooManyRequests);
            await api.MineAsync();
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
        await using (await api.ManualMiningAsync())
        {
            var hash = await ManualMiningApi.DrawInDoubtAsync(account);
            await api.RpcAsync("anvil_dropTransaction", hash);
            Assert.Equal(JsonValueKind.Null, (await api.RpcAsync("eth_getTransactionByHash", hash)).ValueKind);

            // The lookup finds no receipt and the node does not know the mint: it gets the same transaction again.
            Assert.Equal("in_doubt", (await LastGrantAsync(account))["status"]!.GetValue<string>());
            Assert.Equal(hash, (await api.RpcAsync("eth_getTransactionByHash", hash)).GetProperty("hash").GetString());
            await api.MineAsync();

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
        await using (await api.ManualMiningAsync())
        {
            var sent = await api.SettlerNonceAsync();
            var request = account.PostAsync("/v1/faucet", null);
            await ManualMiningApi.UntilAsync(async () => await api.SettlerNonceAsync() > sent);
            // The mint was estimated and signed against the real token; by the time it is mined, the token reverts.
            await using (await RevertingTokenAsync())
            {
                await api.MineAsync();
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

    /// <summary>The token's code replaced by "revert()" (PUSH1 0 PUSH1 0 REVERT), its storage kept; restored when disposed.</summary>
    private async Task<IAsyncDisposable> RevertingTokenAsync()
    {
        var token = api.Contracts.Token.ToString();
        var code = (await api.RpcAsync("eth_getCode", token, "latest")).GetString()!;
        await api.RpcAsync("anvil_setCode", token, "0x60006000fd");
        return new Undo(() => api.RpcAsync("anvil_setCode", token, code));
    }
}
