using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Eip712;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>A gasless deposit as a client makes it: a verified wallet holding DPIN asks for the permit, signs the returned typed data, posts it.</summary>
public static class DepositScenario
{
    public static readonly BigInteger Dpin = BigInteger.Pow(10, 18);

    /// <summary>
    /// An account with a verified wallet that the token's owner (the fixture's settler) minted <paramref name="tokens"/>
    /// DPIN to; signed up through <paramref name="instance"/> (another instance on the same database), or the fixture.
    /// </summary>
    public static async Task<(HttpClient Http, EthECKey Key)> FundedWalletAsync(this ChainMarketApi api, int tokens, MarketApi? instance = null)
    {
        var (http, key) = await (instance ?? api).VerifiedAccountAsync();
        await MarketContracts.MintAsync(api.Anvil.Client(api.Settler), api.Contracts.Token, key.GetEthereumAddress(), tokens * Dpin, CancellationToken.None);
        return (http, key);
    }

    /// <summary>POST /v1/deposits/permit: the typed data to sign, its deadline and nonce.</summary>
    public static async Task<JsonObject> PermitAsync(this HttpClient http, string amount)
    {
        var response = await http.PostAsJsonAsync("/v1/deposits/permit", new { amount });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    /// <summary>Signs the returned typed-data JSON as a wallet's eth_signTypedData_v4 would, and builds POST /v1/deposits's body.</summary>
    public static SignedRelayRequest SignedRelay(JsonObject permit, EthECKey key, string amount) => new(
        amount, permit["deadline"]!.GetValue<long>(), Eip712TypedDataSigner.Current.SignTypedDataV4(permit["typedData"]!.ToJsonString(), key));

    /// <summary>Asks for a permit, signs it and relays it under <paramref name="idempotencyKey"/> (a fresh one unless given).</summary>
    public static async Task<(JsonObject Body, HttpResponseMessage Response)> SignAndRelayAsync(this HttpClient http, EthECKey key, string amount, string? idempotencyKey = null)
    {
        var response = await http.PostMoneyAsync("/v1/deposits", SignedRelay(await http.PermitAsync(amount), key, amount), idempotencyKey);
        return ((await response.Content.ReadFromJsonAsync<JsonObject>())!, response);
    }

    /// <summary>Relays and expects 202: returns the relay.</summary>
    public static async Task<JsonObject> RelayAcceptedAsync(this HttpClient http, EthECKey key, string amount)
    {
        var (body, response) = await http.SignAndRelayAsync(key, amount);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        return body;
    }
}

/// <summary>POST /v1/deposits's body.</summary>
public sealed record SignedRelayRequest(string Amount, long Deadline, string Signature);
