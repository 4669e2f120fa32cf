using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>POST /v1/withdrawals and its cancellation through the real pipeline; the ledger check runs after each scenario.</summary>
public sealed class WithdrawalTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task A_withdrawal_moves_available_tokens_to_settling_and_a_cancel_moves_them_back()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "10");

        var response = await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "2.5" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var withdrawal = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("requested", withdrawal["status"]!.GetValue<string>());
        Assert.Equal("2.5", withdrawal["amount"]!.GetValue<string>());
        var balances = await account.BalancesAsync();
        Assert.Equal("7.5", balances["available"]!.GetValue<string>());
        Assert.Equal("2.5", balances["settling"]!.GetValue<string>());
        await api.AssertLedgerCleanAsync();

        var id = withdrawal["id"]!.GetValue<Guid>();
        var cancelled = await account.Http.PostMoneyAsync($"/v1/withdrawals/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        balances = await account.BalancesAsync();
        Assert.Equal("10", balances["available"]!.GetValue<string>());
        Assert.Equal("0", balances["settling"]!.GetValue<string>());

        // A second cancel (a new key, so not a replay) finds it no longer requested.
        var again = await account.Http.PostMoneyAsync($"/v1/withdrawals/{id}/cancel", null);
        Assert.Contains("cancelled", (await again.ProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_withdrawal_from_an_unverified_wallet_is_a_409_and_moves_nothing()
    {
        var account = await api.SignUpAsync();
        await api.FundAsync(account.Id, "5");
        var problem = await (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not verified", problem["detail"]!.GetValue<string>());
        Assert.Equal("5", (await account.BalancesAsync())["available"]!.GetValue<string>());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_withdrawal_above_the_balance_is_a_402_that_says_how_much_is_missing()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "2");
        var problem = await (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "5.25" })).ProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal("3.25", problem["missing"]!.GetValue<string>());
        Assert.Equal("available", problem["balance"]!.GetValue<string>());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.3", problem["type"]!.GetValue<string>());
        Assert.Contains("3.25", problem["detail"]!.GetValue<string>());
        Assert.Equal("2", (await account.BalancesAsync())["available"]!.GetValue<string>());
        Assert.Empty((await account.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))!);
        await api.AssertLedgerCleanAsync();
    }

    [Theory]
    [InlineData("\"1.0000000000000000001\"", "decimals")]
    [InlineData("\"0\"", "more than zero")]
    [InlineData("\"-1\"", "")]
    [InlineData("\"1\\u0000\"", "")]
    [InlineData("1", "JSON number")]
    public async Task A_bad_amount_is_a_400_naming_the_field(string amountJson, string reason)
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "5");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/withdrawals")
        {
            Content = new StringContent($$"""{"amount": {{amountJson}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var problem = await (await account.Http.SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.ErrorsFor("amount"));
        Assert.Equal("5", (await account.BalancesAsync())["available"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_field_is_a_400()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        var problem = await (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1", to = "0xdead" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not a field", problem.ErrorsFor("to"));
    }

    [Fact]
    public async Task Another_account_can_neither_see_nor_cancel_a_withdrawal()
    {
        var owner = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(owner.Id, "3");
        var created = await (await owner.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = created!["id"]!.GetValue<Guid>();
        var stranger = await api.VerifiedAccountWithIdAsync();

        await (await stranger.Http.GetAsync($"/v1/withdrawals/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostMoneyAsync($"/v1/withdrawals/{id}/cancel", null)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))!);
        Assert.Equal("requested", (await owner.Http.GetFromJsonAsync<JsonObject>($"/v1/withdrawals/{id}"))!["status"]!.GetValue<string>());
        Assert.Single((await owner.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))!);
        Assert.Equal("1", (await owner.BalancesAsync())["settling"]!.GetValue<string>());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_read_only_key_cannot_move_money()
    {
        var owner = await api.VerifiedAccountWithIdAsync();
        var issued = await owner.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "reader", scope = "read_only" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var readOnly = api.Client((await issued.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>());
        await (await readOnly.PostMoneyAsync("/v1/withdrawals", new { amount = "1" })).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("/v1/balances")).StatusCode);
    }
}
