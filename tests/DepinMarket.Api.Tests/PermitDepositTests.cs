using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Eip712;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.Live;
using DepinMarket.Chain.Util;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Gasless deposits end to end against anvil: a verified wallet holding DPIN and no ETH gets the permit's typed data,
/// signs the returned JSON, and the API relays it through the settler's depositWithPermit.
/// </summary>
public sealed class PermitDepositTests(PermitDepositTests.DepositChainApi api) : IClassFixture<PermitDepositTests.DepositChainApi>
{
    /// <summary>Its own settler account on the shared anvil, so its transactions do not race other fixtures' nonces.</summary>
    public sealed class DepositChainApi : ChainMarketApi
    {
        public const int Settler = 2;

        protected override int SettlerAccount => Settler;
    }

    private static readonly BigInteger Dpin = BigInteger.Pow(10, 18);

    [Fact]
    public async Task A_signed_permit_is_relayed_and_the_vault_receives_the_tokens_for_the_accounts_reference()
    {
        var (http, key) = await FundedAccountAsync(100);
        var me = (await http.GetFromJsonAsync<JsonObject>("/v1/accounts/me"))!;
        var reference = me["deposit"]!["reference"]!.GetValue<string>();
        Assert.Equal(api.Contracts.Vault.ToString(), me["deposit"]!["vaultAddress"]!.GetValue<string>());
        var vaultBefore = await api.BalanceOfAsync(api.Contracts.Vault.ToString());

        var (body, response) = await SignAndRelayAsync(http, key, "40.5");

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        Assert.Equal(reference, body["reference"]!.GetValue<string>());
        var receipt = await api.Anvil.Client(account: null).WaitForReceiptAsync(body["transactionHash"]!.GetValue<string>());
        Assert.True(receipt.Succeeded());
        Assert.Equal(AnvilNode.Account(DepositChainApi.Settler), EthereumAddress.Parse(receipt.From));
        var deposited = Assert.Single(receipt.DecodeAllEvents<Vault.DepositedEventDTO>());
        Assert.Equal(reference, "0x" + Convert.ToHexStringLower(deposited.Event.Account));
        Assert.Equal(key.GetEthereumAddress(), EthereumAddress.Parse(deposited.Event.From));
        Assert.Equal(405 * Dpin / 10, deposited.Event.Amount);
        Assert.Equal(vaultBefore + 405 * Dpin / 10, await api.BalanceOfAsync(api.Contracts.Vault.ToString()));
        var listed = Assert.Single((await http.GetFromJsonAsync<JsonObject>("/v1/deposits/relays"))!["items"]!.AsArray());
        Assert.Equal("mined", listed!["status"]!.GetValue<string>());
        Assert.Equal(body["id"]!.GetValue<Guid>(), listed["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task The_same_signature_posted_again_returns_the_first_relay_and_sends_nothing()
    {
        var (http, key) = await FundedAccountAsync(100);
        var permit = await PermitAsync(http, "10");
        var request = SignedRequest(permit, key, "10");
        var first = await http.PostAsJsonAsync("/v1/deposits", request);
        var firstBody = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, firstBody.ToJsonString());
        await api.Anvil.Client(account: null).WaitForReceiptAsync(firstBody["transactionHash"]!.GetValue<string>());
        var settlerNonce = await SettlerNonceAsync();

        var again = await http.PostAsJsonAsync("/v1/deposits", request);

        var againBody = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToJsonString());
        Assert.Equal(firstBody["id"]!.GetValue<Guid>(), againBody["id"]!.GetValue<Guid>());
        Assert.Equal(firstBody["transactionHash"]!.GetValue<string>(), againBody["transactionHash"]!.GetValue<string>());
        Assert.Equal(settlerNonce, await SettlerNonceAsync());
        Assert.Equal(90 * Dpin, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    [Fact]
    public async Task A_permit_signed_by_another_key_is_refused_before_any_transaction()
    {
        var (http, _) = await FundedAccountAsync(100);
        var permit = await PermitAsync(http, "10");
        var settlerNonce = await SettlerNonceAsync();

        var response = await http.PostAsJsonAsync("/v1/deposits", SignedRequest(permit, EthECKey.GenerateKey(), "10"));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("was not made by", problem["errors"]!["signature"]![0]!.GetValue<string>());
        Assert.Equal(settlerNonce, await SettlerNonceAsync());
        Assert.Empty((await http.GetFromJsonAsync<JsonObject>("/v1/deposits/relays"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_signature_for_another_amount_is_refused()
    {
        var (http, key) = await FundedAccountAsync(100);
        var permit = await PermitAsync(http, "10");

        var response = await http.PostAsJsonAsync("/v1/deposits", SignedRequest(permit, key, "11"));

        Assert.Contains("signature", (await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task An_unverified_wallet_gets_409_for_the_permit_and_for_the_relay()
    {
        var account = await api.SignUpAsync();

        var permit = await account.Http.PostAsJsonAsync("/v1/deposits/permit", new { amount = "1" });
        var relay = await account.Http.PostAsJsonAsync("/v1/deposits", new { amount = "1", deadline = 1, signature = "0x00" });

        Assert.Contains("/v1/auth/challenge", (await permit.ProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
        await relay.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.0000000000000000001")]
    [InlineData("-1")]
    [InlineData("1\u0000")]
    public async Task A_bad_amount_is_a_400_naming_amount(string amount)
    {
        var (http, _) = await api.VerifiedAccountAsync();

        var response = await http.PostAsJsonAsync("/v1/deposits/permit", new { amount });

        Assert.Contains("amount", (await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()));
    }

    [Fact]
    public async Task An_expired_or_far_deadline_is_a_400_naming_deadline()
    {
        var (http, _) = await api.VerifiedAccountAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        foreach (var deadline in new[] { now - 10, now + 30 * 24 * 3600 })
        {
            var response = await http.PostAsJsonAsync("/v1/deposits", new { amount = "1", deadline, signature = "0x" + new string('1', 130) });
            Assert.Contains("deadline", (await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
        }
    }

    [Fact]
    public async Task Another_account_does_not_see_the_relays()
    {
        var (http, key) = await FundedAccountAsync(100);
        var (body, response) = await SignAndRelayAsync(http, key, "5");
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        var (stranger, _) = await api.VerifiedAccountAsync();

        Assert.Empty((await stranger.GetFromJsonAsync<JsonObject>("/v1/deposits/relays"))!["items"]!.AsArray());
    }

    private async Task<(HttpClient Http, EthECKey Key)> FundedAccountAsync(int tokens)
    {
        var (http, key) = await api.VerifiedAccountAsync();
        await MarketContracts.MintAsync(api.Anvil.Client(DepositChainApi.Settler), api.Contracts.Token, key.GetEthereumAddress(), tokens * Dpin, CancellationToken.None);
        return (http, key);
    }

    private static async Task<JsonObject> PermitAsync(HttpClient http, string amount)
    {
        var response = await http.PostAsJsonAsync("/v1/deposits/permit", new { amount });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    /// <summary>Signs the returned typed-data JSON as a wallet's eth_signTypedData_v4 would, and builds POST /v1/deposits's body.</summary>
    private static object SignedRequest(JsonObject permit, EthECKey key, string amount) => new
    {
        amount,
        deadline = permit["deadline"]!.GetValue<long>(),
        signature = Eip712TypedDataSigner.Current.SignTypedDataV4(permit["typedData"]!.ToJsonString(), key),
    };

    private static async Task<(JsonObject Body, HttpResponseMessage Response)> SignAndRelayAsync(HttpClient http, EthECKey key, string amount)
    {
        var response = await http.PostAsJsonAsync("/v1/deposits", SignedRequest(await PermitAsync(http, amount), key, amount));
        return ((await response.Content.ReadFromJsonAsync<JsonObject>())!, response);
    }

    private Task<BigInteger> SettlerNonceAsync() =>
        api.Anvil.Client(account: null).Eth.GetTransactionCountAsync(AnvilNode.Account(DepositChainApi.Settler).ToString(), BlockParameter.Pending);
}
