using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Util;

namespace DepinMarket.Api.Tests;

/// <summary>The chain-facing endpoints against a live anvil with freshly deployed contracts.</summary>
public sealed class ChainTests(ChainMarketApi api) : IClassFixture<ChainMarketApi>
{
    [Fact]
    public async Task Chain_status_reports_the_live_node_and_the_deployed_contracts()
    {
        var status = await api.Client().GetFromJsonAsync<JsonObject>("/v1/chain");
        Assert.True(status!["configured"]!.GetValue<bool>());
        Assert.True(status["nodeReachable"]!.GetValue<bool>());
        Assert.Equal(31337, status["chainId"]!.GetValue<long>());
        Assert.True(status["latestBlock"]!.GetValue<long>() >= 2);
        Assert.Equal(api.Contracts.Token.ToString(), status["tokenAddress"]!.GetValue<string>());
        Assert.Equal(api.Contracts.Vault.ToString(), status["vaultAddress"]!.GetValue<string>());
        var ready = System.Text.Json.Nodes.JsonNode.Parse(await api.Client().GetStringAsync("/health/ready"))!;
        Assert.Equal("Healthy", ready["checks"]!["chain"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_faucet_mints_to_a_verified_wallet_once_per_cooldown()
    {
        var (account, key) = await VerifiedAccount();
        var before = await BalanceOf(key.GetPublicAddress());

        var response = await account.PostAsync("/v1/faucet", null);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("250.5", body!["amount"]!.GetValue<string>());
        Assert.StartsWith("0x", body["transactionHash"]!.GetValue<string>());
        Assert.Equal(before + BigInteger.Parse("250500000000000000000", System.Globalization.CultureInfo.InvariantCulture), await BalanceOf(key.GetPublicAddress()));

        var again = await account.PostAsync("/v1/faucet", null);
        var problem = await again.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("once every", problem["detail"]!.GetValue<string>());
        Assert.True(int.Parse(again.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 3000);
    }

    [Fact]
    public async Task Racing_faucet_requests_of_one_account_mint_once()
    {
        var (account, key) = await VerifiedAccount();
        var before = await BalanceOf(key.GetPublicAddress());
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => account.PostAsync("/v1/faucet", null)));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(2, results.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(before + BigInteger.Parse("250500000000000000000", System.Globalization.CultureInfo.InvariantCulture), await BalanceOf(key.GetPublicAddress()));
    }

    [Fact]
    public async Task The_cooldown_holds_per_wallet_when_the_wallet_moves_to_another_account()
    {
        var (first, key) = await VerifiedAccount();
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync("/v1/faucet", null)).StatusCode);
        var released = await first.PutAsJsonAsync("/v1/accounts/me/wallet", new { walletAddress = EthECKey.GenerateKey().GetPublicAddress() });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var (second, _) = await api.VerifiedAccountAsync(key);
        var before = await BalanceOf(key.GetPublicAddress());

        var problem = await (await second.PostAsync("/v1/faucet", null)).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains($"Wallet {key.GetPublicAddress()} drew test tokens", problem["detail"]!.GetValue<string>());
        Assert.Equal(before, await BalanceOf(key.GetPublicAddress()));
    }

    [Fact]
    public async Task The_faucet_refuses_an_unverified_wallet_and_says_how_to_verify()
    {
        var account = await api.SignUpAsync();
        var problem = await (await account.Http.PostAsync("/v1/faucet", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("/v1/auth/challenge", problem["detail"]!.GetValue<string>());
    }

    private Task<BigInteger> BalanceOf(string address) => api.BalanceOfAsync(address);

    private Task<(HttpClient Http, EthECKey Key)> VerifiedAccount() => api.VerifiedAccountAsync();
}

/// <summary>On a chain that is not a test network the faucet must refuse, whatever the caller.</summary>
public sealed class FaucetOffMainnetTests(FaucetOffMainnetTests.NotATestNetwork api) : IClassFixture<FaucetOffMainnetTests.NotATestNetwork>
{
    public sealed class NotATestNetwork : ChainMarketApi
    {
        protected override bool IsTestNetwork => false;

        protected override int SettlerAccount => 1;
    }

    [Fact]
    public async Task The_faucet_is_off_on_a_chain_that_is_not_a_test_network()
    {
        var account = await api.SignUpAsync();
        var problem = await (await account.Http.PostAsync("/v1/faucet", null)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("not a test network", problem["detail"]!.GetValue<string>());
    }
}
