using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

public sealed class StatementTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task The_statement_lists_each_posting_newest_first_with_its_balance_and_counterpart_in_pages()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        var deposit = await api.FundAsync(account.Id, "10");
        var withdrawal = await (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "3" })).Content.ReadFromJsonAsync<JsonObject>();

        var first = (await account.Http.GetFromJsonAsync<JsonObject>("/v1/ledger?limit=2"))!;
        var lines = first["lines"]!.AsArray();
        Assert.Equal(2, lines.Count);
        var journalId = withdrawal!["journalId"]!.GetValue<long>();
        Assert.All(lines, l => Assert.Equal(journalId, l!["journalId"]!.GetValue<long>()));
        var settling = lines.Single(l => l!["account"]!.GetValue<string>() == "settling")!;
        Assert.Equal("3", settling["amount"]!.GetValue<string>());
        Assert.Equal("3", settling["balanceAfter"]!.GetValue<string>());
        Assert.Equal("available", settling["counterpart"]!.GetValue<string>());
        Assert.Equal("withdrawal", settling["kind"]!.GetValue<string>());
        var available = lines.Single(l => l!["account"]!.GetValue<string>() == "available")!;
        Assert.Equal("-3", available["amount"]!.GetValue<string>());
        Assert.Equal("7", available["balanceAfter"]!.GetValue<string>());

        var second = (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/ledger?limit=2&cursor={first["nextCursor"]!.GetValue<string>()}"))!;
        var depositLine = second["lines"]!.AsArray().Single()!;
        Assert.Equal(deposit, depositLine["journalId"]!.GetValue<long>());
        Assert.Equal("chain", depositLine["counterpart"]!.GetValue<string>());
        Assert.Equal("10", depositLine["balanceAfter"]!.GetValue<string>());
        Assert.Null(second["nextCursor"]);
    }

    [Fact]
    public async Task The_statement_as_csv_has_a_header_and_one_line_per_posting()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "1.5");
        var response = await account.Http.GetAsync("/v1/ledger?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("journal_id,kind,account,amount,balance_after,counterpart,reference,at", rows[0]);
        Assert.Equal(2, rows.Length);
        Assert.Contains(",deposit,available,1.5,1.5,chain,0x", rows[1]);
    }

    [Fact]
    public async Task Another_accounts_postings_never_appear()
    {
        var owner = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(owner.Id, "4");
        var stranger = await api.SignUpAsync();
        Assert.Empty((await stranger.Http.GetFromJsonAsync<JsonObject>("/v1/ledger"))!["lines"]!.AsArray());
        Assert.Equal("0", (await stranger.BalancesAsync())["available"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=eyJCZWZvcmUiOi01fQ", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("format=xml", "format")]
    [InlineData("page=2", "page")]
    public async Task Bad_statement_parameters_are_400s_naming_them(string query, string field)
    {
        var account = await api.SignUpAsync();
        var problem = await (await account.Http.GetAsync($"/v1/ledger?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
        problem.ErrorsFor(field);
    }
}
