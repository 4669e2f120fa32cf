using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>Calls the chain tests share: an account that proved its wallet, and token balances read from the chain.</summary>
public static class ChainScenario
{
    /// <summary>Signs up an account with a fresh wallet and verifies the wallet through wallet sign-in.</summary>
    public static async Task<(HttpClient Http, EthECKey Key)> VerifiedAccountAsync(this MarketApi api, EthECKey? key = null)
    {
        key ??= EthECKey.GenerateKey();
        var created = await (await api.Client().PostAsJsonAsync("/v1/accounts", new
        {
            displayName = "faucet user", roles = new[] { "client" }, walletAddress = key.GetPublicAddress(),
        })).Content.ReadFromJsonAsync<JsonObject>();
        var http = api.Client(created!["apiKey"]!["key"]!.GetValue<string>());
        await http.VerifyWalletAsync(api, key);
        return (http, key);
    }

    /// <summary>Proves <paramref name="key"/>'s wallet for the account behind <paramref name="http"/>; returns the verify response.</summary>
    public static async Task<HttpResponseMessage> VerifyWalletAsync(this HttpClient http, MarketApi api, EthECKey key, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var message = (await (await api.Client().PostAsJsonAsync("/v1/auth/challenge", new { address = key.GetPublicAddress() }))
            .Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>();
        var verified = await http.PostAsJsonAsync("/v1/auth/verify", new { message, signature = EthereumMessageSigner.Current.EncodeUTF8AndSign(message, key) });
        Assert.True(expected == verified.StatusCode, await verified.Content.ReadAsStringAsync());
        return verified;
    }

    public static async Task<BigInteger> BalanceOfAsync(this ChainMarketApi api, string address) =>
        await api.Anvil.Client(null).GetContractHandler(api.Contracts.Token)
            .QueryAsync<BalanceOfFunction, BigInteger>(new BalanceOfFunction { Account = address });
}
