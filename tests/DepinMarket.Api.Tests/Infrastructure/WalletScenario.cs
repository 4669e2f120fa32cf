using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>Wallet sign-in as a client does it: sign up with a wallet, sign the server's message with the wallet's key (personal_sign).</summary>
public static class WalletScenario
{
    /// <summary>Signs up an account naming <paramref name="wallet"/> (unverified).</summary>
    public static async Task<TestAccount> SignUpWithWalletAsync(this MarketApi api, string wallet, params string[] roles)
    {
        var response = await api.Client().PostAsJsonAsync("/v1/accounts",
            new { displayName = "wallet user", roles = roles.Length > 0 ? roles : ["client"], walletAddress = wallet });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = body["apiKey"]!["key"]!.GetValue<string>();
        return new TestAccount(body["account"]!["id"]!.GetValue<Guid>(), key, api.Client(key));
    }

    /// <summary>A message from /v1/auth/challenge for the key's address, signed by the key.</summary>
    public static async Task<object> SignedChallengeAsync(this MarketApi api, EthECKey key)
    {
        var message = (await (await api.Client().PostAsJsonAsync("/v1/auth/challenge", new { address = key.GetPublicAddress() }))
            .Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>();
        return new { message, signature = EthereumMessageSigner.Current.EncodeUTF8AndSign(message, key) };
    }

    /// <summary>Signs up an account with a fresh wallet and verifies the wallet through wallet sign-in.</summary>
    public static async Task<(HttpClient Http, EthECKey Key)> VerifiedAccountAsync(this MarketApi api, EthECKey? key = null)
    {
        key ??= EthECKey.GenerateKey();
        var account = await api.SignUpWithWalletAsync(key.GetPublicAddress());
        await account.Http.VerifyWalletAsync(api, key);
        return (account.Http, key);
    }

    /// <summary>Proves <paramref name="key"/>'s wallet for the account behind <paramref name="http"/>; returns the verify response.</summary>
    public static async Task<HttpResponseMessage> VerifyWalletAsync(this HttpClient http, MarketApi api, EthECKey key, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var verified = await http.PostAsJsonAsync("/v1/auth/verify", await api.SignedChallengeAsync(key));
        Assert.True(expected == verified.StatusCode, await verified.Content.ReadAsStringAsync());
        return verified;
    }
}
