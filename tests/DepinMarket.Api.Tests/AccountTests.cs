using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

public sealed class AccountTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task Sign_up_returns_a_working_key_and_an_unverified_wallet()
    {
        var response = await api.Client().PostAsJsonAsync("/v1/accounts", new
        {
            displayName = "Acme GPU Farm",
            roles = new[] { "provider" },
            walletAddress = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = body["apiKey"]!["key"]!.GetValue<string>();
        Assert.StartsWith("dpm_", key);
        Assert.False(body["account"]!["walletVerified"]!.GetValue<bool>());

        var me = await api.Client(key).GetFromJsonAsync<JsonObject>("/v1/accounts/me");
        Assert.Equal("Acme GPU Farm", me!["displayName"]!.GetValue<string>());
        Assert.Equal("provider", me["roles"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Lower_case_wallet_is_stored_with_its_EIP55_checksum()
    {
        var response = await api.Client().PostAsJsonAsync("/v1/accounts", new
        {
            displayName = "lower", roles = new[] { "client" }, walletAddress = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", body["account"]!["walletAddress"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "checksum")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", "40")]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x")]
    [InlineData("0xZaaeb6053f3e94c9b9a09f33669435e7ef1beaed", "hex")]
    public async Task Malformed_wallet_is_a_400_that_says_what_is_wrong(string wallet, string mentioned)
    {
        var response = await api.Client().PostAsJsonAsync("/v1/accounts", new { displayName = "x", roles = new[] { "client" }, walletAddress = wallet });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, problem.ErrorsFor("walletAddress"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sign_up_without_roles_or_name_names_both_fields()
    {
        var response = await api.Client().PostAsJsonAsync("/v1/accounts", new { displayName = " ", roles = Array.Empty<string>(), walletAddress = "0x" + new string('1', 40) });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("required", problem.ErrorsFor("displayName"));
        Assert.Contains("provider", problem.ErrorsFor("roles"));
    }

    [Fact]
    public async Task Unknown_role_is_a_400_naming_the_field()
    {
        var response = await api.Client().PostAsJsonAsync("/v1/accounts", new { displayName = "x", roles = new[] { "miner" }, walletAddress = "0x" + new string('1', 40) });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("provider", problem.ErrorsFor("roles[0]"));
    }

    [Fact]
    public async Task Key_listing_shows_prefixes_never_secrets()
    {
        var account = await api.SignUpAsync();
        var created = await account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "monitoring", scope = "read_only" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var text = await account.Http.GetStringAsync("/v1/accounts/me/api-keys");
        var keys = JsonNode.Parse(text)!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.DoesNotContain(account.Key, text);
        Assert.DoesNotContain("\"key\"", text);
        Assert.Contains(keys, k => k!["scope"]!.GetValue<string>() == "read_only");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_the_next_request()
    {
        var account = await api.SignUpAsync();
        var second = await (await account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "script" })).Content.ReadFromJsonAsync<JsonObject>();
        var secondClient = api.Client(second!["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/v1/accounts/me")).StatusCode);

        var revoke = await account.Http.DeleteAsync($"/v1/accounts/me/api-keys/{second["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var problem = await (await secondClient.GetAsync("/v1/accounts/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await account.Http.GetAsync("/v1/accounts/me")).StatusCode);
    }

    [Fact]
    public async Task Another_account_cannot_revoke_my_key_and_learns_nothing_about_it()
    {
        var owner = await api.SignUpAsync();
        var intruder = await api.SignUpAsync();
        var keys = await owner.Http.GetFromJsonAsync<JsonArray>("/v1/accounts/me/api-keys");
        var ownersKeyId = keys![0]!["id"]!.GetValue<Guid>();

        var problem = await (await intruder.Http.DeleteAsync($"/v1/accounts/me/api-keys/{ownersKeyId}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(owner.Id.ToString(), problem.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("/v1/accounts/me")).StatusCode);
    }

    [Fact]
    public async Task A_read_only_key_can_read_but_not_change_anything()
    {
        var account = await api.SignUpAsync();
        var readOnly = await (await account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "dashboard", scope = "read_only" }))
            .Content.ReadFromJsonAsync<JsonObject>();
        var client = api.Client(readOnly!["key"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/accounts/me")).StatusCode);
        var problem = await (await client.PostAsJsonAsync("/v1/offers/compute", Scenario.ComputeOffer())).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("read-only", problem["detail"]!.GetValue<string>());
        await (await client.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "escalate" })).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(null, "needs an API key")]
    [InlineData("not-a-key", "malformed")]
    [InlineData("dpm_0123456789abcdef_wrongsecretwrongsecretwrongsecretwrongsec", "not valid")]
    public async Task Missing_or_bad_keys_get_a_401_problem_that_says_why(string? key, string reason)
    {
        var client = api.Client();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        var problem = await (await client.GetAsync("/v1/accounts/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(reason, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_key_is_accepted_in_the_X_Api_Key_header_too()
    {
        var account = await api.SignUpAsync();
        var client = api.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/accounts/me")).StatusCode);
    }

    [Fact]
    public async Task Admin_endpoints_need_the_operator_key()
    {
        var account = await api.SignUpAsync();
        var problem = await (await account.Http.GetAsync("/v1/admin/stats")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("operator", problem["detail"]!.GetValue<string>());

        var stats = await api.Client(MarketApi.OperatorKey).GetFromJsonAsync<JsonObject>("/v1/admin/stats");
        Assert.True(stats!["accounts"]!.GetValue<int>() >= 1);
        // The operator key is not an account: account endpoints refuse it rather than crash.
        await (await api.Client(MarketApi.OperatorKey).GetAsync("/v1/accounts/me")).ProblemAsync(HttpStatusCode.Forbidden);
    }
}

/// <summary>An account holds a bounded number of unrevoked keys.</summary>
public sealed class ApiKeyCapTests(ApiKeyCapTests.ThreeKeys api) : IClassFixture<ApiKeyCapTests.ThreeKeys>
{
    public sealed class ThreeKeys : MarketApi
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Accounts:MaxActiveApiKeys"] = "3" };
    }

    [Fact]
    public async Task Keys_beyond_the_cap_are_refused_with_a_409_until_one_is_revoked_and_racing_requests_cannot_pass_it()
    {
        var account = await api.SignUpAsync();
        // The first key counts; four racing requests for the remaining two places: exactly two win.
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = $"script {i}" })));
        Assert.Equal(2, racing.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = racing.First(r => r.StatusCode != HttpStatusCode.Created);
        var problem = await refused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("(3)", problem["detail"]!.GetValue<string>());

        var created = await racing.First(r => r.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.NoContent, (await account.Http.DeleteAsync($"/v1/accounts/me/api-keys/{created!["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "after revoking" })).StatusCode);
    }
}
