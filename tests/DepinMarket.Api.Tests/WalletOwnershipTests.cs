using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Crypto;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Who a wallet belongs to: the one account that verified it. Naming someone else's wallet in a sign-up claims
/// nothing, a verified wallet moves to another account only when the first releases it, and the database's
/// partial unique index holds the rule even where the API's checks race.
/// </summary>
public sealed class WalletOwnershipTests(MarketApi api) : IClassFixture<MarketApi>
{
    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    [Fact]
    public async Task Someone_naming_a_verified_wallet_in_a_sign_up_cannot_block_its_owners_sign_in()
    {
        var key = EthECKey.GenerateKey();
        var owner = await api.SignUpWithWalletAsync(key.GetPublicAddress());
        await owner.Http.VerifyWalletAsync(api, key);
        await api.SignUpWithWalletAsync(key.GetPublicAddress());
        await api.SignUpWithWalletAsync(key.GetPublicAddress());

        Assert.Equal(owner.Id, await SignInByWalletAsync(key));
    }

    [Fact]
    public async Task A_second_account_cannot_verify_a_wallet_another_account_verified()
    {
        var key = EthECKey.GenerateKey();
        var owner = await api.SignUpWithWalletAsync(key.GetPublicAddress());
        await owner.Http.VerifyWalletAsync(api, key);
        var second = await api.SignUpWithWalletAsync(key.GetPublicAddress());

        var refused = await second.Http.VerifyWalletAsync(api, key, HttpStatusCode.Conflict);
        var detail = (await refused.ProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>();
        Assert.Contains("already verified", detail);
        Assert.Contains("PUT /v1/accounts/me/wallet", detail);
        Assert.False(await IsVerifiedAsync(second));
        Assert.True(await IsVerifiedAsync(owner));
    }

    [Fact]
    public async Task A_released_wallet_can_be_verified_by_another_account_which_then_signs_in_by_it()
    {
        var key = EthECKey.GenerateKey();
        var first = await api.SignUpWithWalletAsync(key.GetPublicAddress());
        await first.Http.VerifyWalletAsync(api, key);
        var second = await api.SignUpWithWalletAsync(key.GetPublicAddress());

        var released = await first.Http.PutAsJsonAsync("/v1/accounts/me/wallet", new { walletAddress = key.GetPublicAddress() });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.False((await released.Content.ReadFromJsonAsync<JsonObject>())!["walletVerified"]!.GetValue<bool>());

        await second.Http.VerifyWalletAsync(api, key);
        Assert.Equal(second.Id, await SignInByWalletAsync(key));
    }

    [Fact]
    public async Task Changing_the_wallet_records_the_new_one_unverified()
    {
        var (account, _) = await api.VerifiedAccountAsync();
        var other = EthECKey.GenerateKey().GetPublicAddress();
        var changed = await account.PutAsJsonAsync("/v1/accounts/me/wallet", new { walletAddress = other.ToLowerInvariant() });
        var body = (await changed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(other, body["walletAddress"]!.GetValue<string>());
        Assert.False(body["walletVerified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Two_accounts_racing_to_verify_one_wallet_verify_it_once()
    {
        var key = EthECKey.GenerateKey();
        var accounts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.SignUpWithWalletAsync(key.GetPublicAddress())));
        var signed = await Task.WhenAll(accounts.Select(_ => api.SignedChallengeAsync(key)));
        var results = await Task.WhenAll(accounts.Zip(signed, (a, s) => a.Http.PostAsJsonAsync("/v1/auth/verify", s)));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, (await Task.WhenAll(accounts.Select(IsVerifiedAsync))).Count(v => v));
    }

    [Fact]
    public async Task The_database_refuses_a_second_verified_account_for_one_wallet()
    {
        var wallet = EthECKey.GenerateKey().GetPublicAddress();
        await api.SignUpWithWalletAsync(wallet);
        await api.SignUpWithWalletAsync(wallet);
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var command = dataSource.CreateCommand("update accounts set wallet_verified = true where wallet_address = $1");
        command.Parameters.AddWithValue(wallet);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("ux_accounts_verified_wallet", error.ConstraintName);
    }

    [Fact]
    public async Task The_zero_address_is_not_a_wallet()
    {
        var signUp = await api.Client().PostAsJsonAsync("/v1/accounts", new { displayName = "x", roles = new[] { "client" }, walletAddress = ZeroAddress });
        Assert.Contains("zero address", (await signUp.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("walletAddress"));

        var challenge = await api.Client().PostAsJsonAsync("/v1/auth/challenge", new { address = ZeroAddress });
        Assert.Contains("zero address", (await challenge.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("address"));

        var account = await api.SignUpAsync();
        var change = await account.Http.PutAsJsonAsync("/v1/accounts/me/wallet", new { walletAddress = ZeroAddress });
        Assert.Contains("zero address", (await change.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("walletAddress"));
    }

    [Fact]
    public async Task A_revoked_key_sent_to_verify_is_a_401_not_a_keyless_sign_in()
    {
        var key = EthECKey.GenerateKey();
        var account = await api.SignUpWithWalletAsync(key.GetPublicAddress());
        var keys = await account.Http.GetFromJsonAsync<JsonArray>("/v1/accounts/me/api-keys");
        var keyId = keys!.Single()!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.NoContent, (await account.Http.DeleteAsync($"/v1/accounts/me/api-keys/{keyId}")).StatusCode);

        var refused = await account.Http.PostAsJsonAsync("/v1/auth/verify", await api.SignedChallengeAsync(key));
        Assert.Contains("revoked", (await refused.ProblemAsync(HttpStatusCode.Unauthorized))["detail"]!.GetValue<string>());
        Assert.False(await IsVerifiedAsync(account.Id));
        Assert.Single((await KeysOfAsync(account.Id))!);
    }

    [Fact]
    public async Task A_wrong_key_sent_to_verify_is_a_401_and_the_operator_key_a_403()
    {
        var key = EthECKey.GenerateKey();
        await api.SignUpWithWalletAsync(key.GetPublicAddress());
        var wrong = await api.Client("dpm_0123456789abcdef_not-a-real-secret").PostAsJsonAsync("/v1/auth/verify", await api.SignedChallengeAsync(key));
        Assert.Contains("not valid", (await wrong.ProblemAsync(HttpStatusCode.Unauthorized))["detail"]!.GetValue<string>());

        var byOperator = await api.Client(MarketApi.OperatorKey).PostAsJsonAsync("/v1/auth/verify", await api.SignedChallengeAsync(key));
        await byOperator.ProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<Guid> SignInByWalletAsync(EthECKey key)
    {
        var response = await api.Client().PostAsJsonAsync("/v1/auth/verify", await api.SignedChallengeAsync(key));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["account"]!["id"]!.GetValue<Guid>();
    }

    private static async Task<bool> IsVerifiedAsync(TestAccount account) =>
        (await account.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me"))!["walletVerified"]!.GetValue<bool>();

    private async Task<bool> IsVerifiedAsync(Guid accountId)
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var command = dataSource.CreateCommand("select wallet_verified from accounts where id = $1");
        command.Parameters.AddWithValue(accountId);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<Guid>> KeysOfAsync(Guid accountId)
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var command = dataSource.CreateCommand("select id from api_keys where account_id = $1");
        command.Parameters.AddWithValue(accountId);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}
