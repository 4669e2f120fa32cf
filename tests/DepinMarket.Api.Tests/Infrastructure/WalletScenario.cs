using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>An account whose payout wallet is proven by wallet sign-in, made through the public API.</summary>
public static class WalletScenario
{
    public static async Task<(HttpClient Http, EthECKey Key)> VerifiedAccountAsync(this MarketApi api)
    {
        var key = EthECKey.GenerateKey();
        var created = await (await api.Client().PostAsJsonAsync("/v1/accounts", new
        {
            displayName = "wallet user", roles = new[] { "client" }, walletAddress = key.GetPublicAddress(),
        })).Content.ReadFromJsonAsync<JsonObject>();
        var http = api.Client(created!["apiKey"]!["key"]!.GetValue<string>());
        var message = (await (await api.Client().PostAsJsonAsync("/v1/auth/challenge", new { address = key.GetPublicAddress() }))
            .Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>();
        var verified = await http.PostAsJsonAsync("/v1/auth/verify", new { message, signature = EthereumMessageSigner.Current.EncodeUTF8AndSign(message, key) });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        return (http, key);
    }
}
