using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;

namespace DepinMarket.Api.Tests;

/// <summary>Wallet sign-in end to end: keys generated here sign the server's message exactly as a wallet would (personal_sign).</summary>
public sealed class WalletSignInTests(MarketApi api) : IClassFixture<MarketApi>
{
    private static async Task<(TestAccount Account, EthECKey Key)> AccountWithWallet(MarketApi api, EthECKey? key = null)
    {
        key ??= EthECKey.GenerateKey();
        var response = await api.Client().PostAsJsonAsync("/v1/accounts", new
        {
            displayName = "wallet owner", roles = new[] { "provider", "client" }, walletAddress = key.GetPublicAddress(),
        });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var apiKey = body["apiKey"]!["key"]!.GetValue<string>();
        return (new TestAccount(body["account"]!["id"]!.GetValue<Guid>(), apiKey, api.Client(apiKey)), key);
    }

    private async Task<string> Challenge(string address)
    {
        var response = await api.Client().PostAsJsonAsync("/v1/auth/challenge", new { address });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>();
    }

    private static string Sign(string message, EthECKey key) => EthereumMessageSigner.Current.EncodeUTF8AndSign(message, key);

    [Fact]
    public async Task The_challenge_is_an_EIP4361_style_message_for_the_address()
    {
        var key = EthECKey.GenerateKey();
        var message = await Challenge(key.GetPublicAddress().ToLowerInvariant());
        var lines = message.Split('\n');
        Assert.EndsWith("wants you to sign in with your Ethereum account:", lines[0]);
        Assert.Equal(key.GetPublicAddress(), lines[1]);
        Assert.Contains(lines, l => l.StartsWith("Nonce: ", StringComparison.Ordinal) && l.Length == "Nonce: ".Length + 32);
        Assert.Contains(lines, l => l.StartsWith("Expiration Time: ", StringComparison.Ordinal));
        Assert.Contains("Chain ID: 31337", message);
    }

    [Fact]
    public async Task Verifying_with_an_API_key_marks_the_wallet_verified()
    {
        var (account, key) = await AccountWithWallet(api);
        var message = await Challenge(key.GetPublicAddress());
        var response = await account.Http.PostAsJsonAsync("/v1/auth/verify", new { message, signature = Sign(message, key) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(body["account"]!["walletVerified"]!.GetValue<bool>());
        Assert.Null(body["apiKey"]);
        Assert.True((await account.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me"))!["walletVerified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verifying_without_a_key_signs_in_the_wallets_account_with_a_new_key()
    {
        var (account, key) = await AccountWithWallet(api);
        var message = await Challenge(key.GetPublicAddress());
        var body = (await (await api.Client().PostAsJsonAsync("/v1/auth/verify", new { message, signature = Sign(message, key) }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        var newKey = body["apiKey"]!["key"]!.GetValue<string>();
        var me = await api.Client(newKey).GetFromJsonAsync<JsonObject>("/v1/accounts/me");
        Assert.Equal(account.Id, me!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_replayed_message_is_refused()
    {
        var (account, key) = await AccountWithWallet(api);
        var message = await Challenge(key.GetPublicAddress());
        var signed = new { message, signature = Sign(message, key) };
        Assert.Equal(HttpStatusCode.OK, (await account.Http.PostAsJsonAsync("/v1/auth/verify", signed)).StatusCode);
        var problem = await (await api.Client().PostAsJsonAsync("/v1/auth/verify", signed)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already used", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Racing_the_same_signature_twice_signs_in_once()
    {
        var (_, key) = await AccountWithWallet(api);
        var message = await Challenge(key.GetPublicAddress());
        var signed = new { message, signature = Sign(message, key) };
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.Client().PostAsJsonAsync("/v1/auth/verify", signed)));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task An_altered_message_is_refused_even_when_signed_by_the_wallet()
    {
        var (account, key) = await AccountWithWallet(api);
        var altered = (await Challenge(key.GetPublicAddress())).Replace("Version: 1", "Version: 2", StringComparison.Ordinal);
        var problem = await (await account.Http.PostAsJsonAsync("/v1/auth/verify", new { message = altered, signature = Sign(altered, key) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("differs from the message that was issued", problem.ErrorsFor("message"));
    }

    [Fact]
    public async Task A_message_signed_by_another_key_is_refused_and_names_the_signer()
    {
        var (account, key) = await AccountWithWallet(api);
        var impostor = EthECKey.GenerateKey();
        var message = await Challenge(key.GetPublicAddress());
        var problem = await (await account.Http.PostAsJsonAsync("/v1/auth/verify", new { message, signature = Sign(message, impostor) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(impostor.GetPublicAddress(), problem.ErrorsFor("signature"));
        Assert.False((await account.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me"))!["walletVerified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Another_account_cannot_verify_a_wallet_that_is_not_its_own()
    {
        var (_, key) = await AccountWithWallet(api);
        var intruder = await api.SignUpAsync();
        var message = await Challenge(key.GetPublicAddress());
        var problem = await (await intruder.Http.PostAsJsonAsync("/v1/auth/verify", new { message, signature = Sign(message, key) }))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("payout wallet is", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("0x1234", "65 bytes")]
    [InlineData("not hex", "hex")]
    public async Task A_malformed_signature_is_a_400(string signature, string reason)
    {
        var (account, key) = await AccountWithWallet(api);
        var message = await Challenge(key.GetPublicAddress());
        var problem = await (await account.Http.PostAsJsonAsync("/v1/auth/verify", new { message, signature })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.ErrorsFor("signature"));
    }

    [Fact]
    public async Task Unknown_nonces_and_bad_addresses_are_400s()
    {
        var problem = await (await api.Client().PostAsJsonAsync("/v1/auth/verify", new { message = "Nonce: 00", signature = "0x00" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("never issued", problem.ErrorsFor("message"));
        var bad = await (await api.Client().PostAsJsonAsync("/v1/auth/challenge", new { address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("checksum", bad.ErrorsFor("address"));
    }
}

/// <summary>Expiry needs the clock to move, so this class runs with a one-second challenge lifetime.</summary>
public sealed class WalletSignInExpiryTests(WalletSignInExpiryTests.ShortLived api) : IClassFixture<WalletSignInExpiryTests.ShortLived>
{
    public sealed class ShortLived : MarketApi
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["SignIn:ChallengeLifetime"] = "00:00:01" };
    }

    [Fact]
    public async Task An_expired_message_is_refused()
    {
        var key = EthECKey.GenerateKey();
        var account = await api.Client().PostAsJsonAsync("/v1/accounts", new { displayName = "x", roles = new[] { "client" }, walletAddress = key.GetPublicAddress() });
        Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        var message = (await (await api.Client().PostAsJsonAsync("/v1/auth/challenge", new { address = key.GetPublicAddress() })).Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var problem = await (await api.Client().PostAsJsonAsync("/v1/auth/verify", new { message, signature = EthereumMessageSigner.Current.EncodeUTF8AndSign(message, key) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("expired", problem.ErrorsFor("message"));
    }
}
