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

using static DepinMarket.Api.Tests.Infrastructure.DepositScenario;

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
        protected override int SettlerAccount => 2;
    }

    [Fact]
    public async Task A_signed_permit_is_relayed_and_the_vault_receives_the_tokens_for_the_accounts_reference()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        var me = (await http.GetFromJsonAsync<JsonObject>("/v1/accounts/me"))!;
        var reference = me["deposit"]!["reference"]!.GetValue<string>();
        Assert.Equal(api.Contracts.Vault.ToString(), me["deposit"]!["vaultAddress"]!.GetValue<string>());
        var vaultBefore = await api.BalanceOfAsync(api.Contracts.Vault.ToString());

        var (body, response) = await http.SignAndRelayAsync(key, "40.5");

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        Assert.Equal(reference, body["reference"]!.GetValue<string>());
        var receipt = await api.Anvil.Client(account: null).WaitForReceiptAsync(body["transactionHash"]!.GetValue<string>());
        Assert.True(receipt.Succeeded());
        Assert.Equal(AnvilNode.Account(api.Settler), EthereumAddress.Parse(receipt.From));
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
        var (http, key) = await api.FundedWalletAsync(100);
        var permit = await http.PermitAsync("10");
        var request = SignedRelay(permit, key, "10");
        var first = await http.PostMoneyAsync("/v1/deposits", request);
        var firstBody = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, firstBody.ToJsonString());
        await api.Anvil.Client(account: null).WaitForReceiptAsync(firstBody["transactionHash"]!.GetValue<string>());
        var settlerNonce = await SettlerNonceAsync();

        var again = await http.PostMoneyAsync("/v1/deposits", request);

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
        var (http, _) = await api.FundedWalletAsync(100);
        var permit = await http.PermitAsync("10");
        var settlerNonce = await SettlerNonceAsync();

        var response = await http.PostMoneyAsync("/v1/deposits", SignedRelay(permit, EthECKey.GenerateKey(), "10"));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("was not made by", problem["errors"]!["signature"]![0]!.GetValue<string>());
        Assert.Equal(settlerNonce, await SettlerNonceAsync());
        Assert.Empty((await http.GetFromJsonAsync<JsonObject>("/v1/deposits/relays"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_signature_for_another_amount_is_refused()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        var permit = await http.PermitAsync("10");

        var response = await http.PostMoneyAsync("/v1/deposits", SignedRelay(permit, key, "11"));

        Assert.Contains("signature", (await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task An_unverified_wallet_gets_409_for_the_permit_and_for_the_relay()
    {
        var account = await api.SignUpAsync();

        var permit = await account.Http.PostAsJsonAsync("/v1/deposits/permit", new { amount = "1" });
        var relay = await account.Http.PostMoneyAsync("/v1/deposits", new { amount = "1", deadline = 1, signature = "0x00" });

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
            var response = await http.PostMoneyAsync("/v1/deposits", new { amount = "1", deadline, signature = "0x" + new string('1', 130) });
            Assert.Contains("deadline", (await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
        }
    }

    [Theory]
    [InlineData("100000000000000000000")]
    [InlineData("-9223372036854775809")]
    [InlineData("1.5")]
    [InlineData("\"1767225600\"")]
    public async Task A_deadline_that_is_no_whole_number_of_64_bits_is_a_400_stating_the_accepted_range_in_unix_seconds(string deadline)
    {
        var (http, _) = await api.VerifiedAccountAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await http.PostMoneyAsync("/v1/deposits",
            JsonNode.Parse($$"""{"amount": "1", "deadline": {{deadline}}, "signature": "0x{{new string('1', 130)}}"}"""));

        var message = Assert.Single((await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!["deadline"]!.AsArray())!.GetValue<string>();
        Assert.DoesNotContain("9223372036854775807", message, StringComparison.Ordinal);
        Assert.Contains("unix seconds (whole seconds since 1970-01-01T00:00:00Z)", message, StringComparison.Ordinal);
        Assert.Contains("POST /v1/deposits/permit", message, StringComparison.Ordinal);
        AssertStatesTheRange(message, before);
    }

    [Fact]
    public async Task A_deadline_out_of_range_states_the_accepted_range_too()
    {
        var (http, _) = await api.VerifiedAccountAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await http.PostMoneyAsync("/v1/deposits", new { amount = "1", deadline = before + 2 * 3600, signature = "0x" + new string('1', 130) });

        AssertStatesTheRange(Assert.Single((await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!["deadline"]!.AsArray())!.GetValue<string>(), before);
    }

    [Fact]
    public async Task Relaying_without_an_Idempotency_Key_is_a_400_naming_it_and_sends_nothing()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        var settlerNonce = await SettlerNonceAsync();

        var response = await http.PostAsJsonAsync("/v1/deposits", SignedRelay(await http.PermitAsync("10"), key, "10"));

        Assert.Contains("Idempotency-Key", (await response.ProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(settlerNonce, await SettlerNonceAsync());
        Assert.Empty((await http.GetFromJsonAsync<JsonObject>("/v1/deposits/relays"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task The_same_Idempotency_Key_and_body_replay_the_first_answer_and_send_nothing()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        var request = SignedRelay(await http.PermitAsync("10"), key, "10");
        var idempotencyKey = Guid.NewGuid().ToString();
        var first = await http.PostMoneyAsync("/v1/deposits", request, idempotencyKey);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, firstBody);
        await api.Anvil.Client(account: null).WaitForReceiptAsync(JsonNode.Parse(firstBody)!["transactionHash"]!.GetValue<string>());
        var settlerNonce = await SettlerNonceAsync();

        var replay = await http.PostMoneyAsync("/v1/deposits", request, idempotencyKey);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(settlerNonce, await SettlerNonceAsync());
        Assert.Single((await http.GetFromJsonAsync<JsonObject>("/v1/deposits/relays"))!["items"]!.AsArray());
        Assert.Equal(90 * Dpin, await api.BalanceOfAsync(key.GetPublicAddress()));

        var otherBody = await http.PostMoneyAsync("/v1/deposits", SignedRelay(await http.PermitAsync("5"), key, "5"), idempotencyKey);
        await otherBody.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(settlerNonce, await SettlerNonceAsync());
    }

    [Fact]
    public async Task A_relay_refused_before_sending_keeps_no_answer_so_the_same_key_relays_once_the_wallet_is_funded()
    {
        var (http, key) = await api.FundedWalletAsync(5);
        var request = SignedRelay(await http.PermitAsync("10"), key, "10");
        var idempotencyKey = Guid.NewGuid().ToString();

        var refused = await http.PostMoneyAsync("/v1/deposits", request, idempotencyKey);
        Assert.Contains("balance too low", (await refused.ProblemAsync(HttpStatusCode.Conflict))["title"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await MarketContracts.MintAsync(api.Anvil.Client(api.Settler), api.Contracts.Token, key.GetEthereumAddress(), 5 * Dpin, CancellationToken.None);

        var retried = await http.PostMoneyAsync("/v1/deposits", request, idempotencyKey);

        Assert.True(retried.StatusCode == HttpStatusCode.Accepted, await retried.Content.ReadAsStringAsync());
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        var hash = (await retried.Content.ReadFromJsonAsync<JsonObject>())!["transactionHash"]!.GetValue<string>();
        Assert.True((await api.Anvil.Client(account: null).WaitForReceiptAsync(hash)).Succeeded());
        Assert.Equal(BigInteger.Zero, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    /// <summary>The message names the earliest and latest deadline the API takes now: at least 30 seconds and at most the permit lifetime (1 h) from now.</summary>
    private static void AssertStatesTheRange(string message, long before)
    {
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var range = System.Text.RegularExpressions.Regex.Match(message, "from (\\d+) to (\\d+)");
        Assert.True(range.Success, message);
        Assert.InRange(long.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), before + 30, after + 30);
        Assert.InRange(long.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture), before + 3600, after + 3600);
    }

    [Fact]
    public async Task Another_account_does_not_see_the_relays()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        var (body, response) = await http.SignAndRelayAsync(key, "5");
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        var (stranger, _) = await api.VerifiedAccountAsync();

        Assert.Empty((await stranger.GetFromJsonAsync<JsonObject>("/v1/deposits/relays"))!["items"]!.AsArray());
    }

    private Task<BigInteger> SettlerNonceAsync() =>
        api.Anvil.Client(account: null).Eth.GetTransactionCountAsync(AnvilNode.Account(api.Settler).ToString(), BlockParameter.Pending);
}
