using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Tests;

/// <summary>Model rentals end to end on real PostgreSQL: a budget in escrow, charged by the provider's usage reports at per-million prices.</summary>
public sealed class RentalModelTests(RentalApi api) : IClassFixture<RentalApi>
{
    [Fact]
    public async Task Usage_reports_are_charged_at_per_million_prices_once_per_request_id_and_a_stop_refunds_the_rest()
    {
        var (provider, offerId, client) = await api.ModelMarketAsync(inputPrice: "0.5", outputPrice: "1.5", funds: "100");
        var rental = await client.RentAsync(new { kind = "model", offerId, budget = "10" });
        var id = rental["id"]!.GetValue<Guid>();
        Assert.Equal("10", rental["escrowed"].Text());
        Assert.Equal("0.025", rental["escrowedFee"].Text());
        Assert.Null(rental["termSeconds"]);
        Assert.Equal("10.025", (await client.BalancesAsync())["escrow"].Text());
        await provider.ActAsync(id, "accept", new { access = new Dictionary<string, string> { ["baseUrl"] = "https://llm.example.com/v1", ["apiKey"] = "sk-rental" } });
        Assert.Equal("sk-rental", (await client.RentalAsync(id))["access"]!["apiKey"].Text());

        // 1234 × 0.5 / 1e6 + 567 × 1.5 / 1e6 = 0.000617 + 0.0008505.
        var first = await provider.ReportUsageAsync(id, "req-1", 1234, 567);
        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var charge = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("0.0014675", charge["usage"].Text());
        Assert.Equal(1801, charge["quantity"]!.GetValue<long>());
        Assert.Equal("token", charge["unit"].Text());
        Assert.Equal("req-1", charge["requestId"].Text());
        Assert.Equal("0.5", charge["unitPrice"].Text());
        Assert.Equal("1.5", charge["outputUnitPrice"].Text());
        var afterFirst = await client.BalancesAsync();
        var earningsAfterFirst = (await provider.BalancesAsync())["earnings"].Text();

        // The same report again: the first charge, nothing moved.
        var replay = await provider.ReportUsageAsync(id, "req-1", 1234, 567);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var replayed = (await replay.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(charge["id"]!.GetValue<long>(), replayed["id"]!.GetValue<long>());
        Assert.Equal(charge["journalId"]!.GetValue<long>(), replayed["journalId"]!.GetValue<long>());
        Assert.Equal("0.0014675", replayed["usage"].Text());
        // The same id with other counts is a conflict.
        var other = await provider.ReportUsageAsync(id, "req-1", 1235, 567);
        Assert.Contains("1234 input and 567 output", await other.DetailAsync(HttpStatusCode.Conflict));
        Assert.Equal(afterFirst.ToJsonString(), (await client.BalancesAsync()).ToJsonString());
        Assert.Equal(earningsAfterFirst, (await provider.BalancesAsync())["earnings"].Text());
        Assert.Single(await client.ChargesAsync(id));
        Assert.Equal("0.0014675", (await client.RentalAsync(id))["charged"].Text());

        // A client stop charges nothing more and gives back the rest of the budget and its fee.
        var stopped = await client.ActAsync(id, "stop");
        Assert.Equal("completed", stopped["status"].Text());
        Assert.Equal("client_stopped", stopped["endReason"].Text());
        var usage = TokenAmount.Parse("0.0014675");
        var clientFee = usage.BasisPoints(25).Quotient;
        Assert.Equal(clientFee.ToString(), stopped["chargedClientFee"].Text());
        Assert.Equal((TokenAmount.Parse("10.025") - usage - clientFee).ToString(), stopped["refunded"].Text());
        var balances = await client.BalancesAsync();
        Assert.Equal((TokenAmount.Parse("100") - usage - clientFee).ToString(), balances["available"].Text());
        Assert.Equal("0", balances["escrow"].Text());
        var earnings = usage - usage.BasisPoints(200).Quotient - usage.BasisPoints(25).Quotient;
        Assert.Equal(earnings.ToString(), (await provider.BalancesAsync())["earnings"].Text());
        var late = await provider.ReportUsageAsync(id, "req-2", 10, 10);
        Assert.Contains("completed", await late.DetailAsync(HttpStatusCode.Conflict));
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Twenty_concurrent_usage_reports_with_distinct_ids_are_each_charged_exactly_once()
    {
        // Odd prices (base units per million tokens), so every report rounds down on its own.
        var (provider, offerId, client) = await api.ModelMarketAsync(inputPrice: "0.000000000012345678", outputPrice: "0.000000000087654321");
        var id = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "1" });
        var reports = Enumerable.Range(0, 20).Select(i => (RequestId: $"batch-{i}", Input: 1000L + 37 * i, Output: 300L + 11 * i)).ToArray();

        var responses = await Task.WhenAll(reports.Select(r => provider.ReportUsageAsync(id, r.RequestId, r.Input, r.Output)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var expected = TokenAmount.Sum(reports.Select(r => new TokenAmount((12_345_678 * new BigInteger(r.Input) + 87_654_321 * new BigInteger(r.Output)) / 1_000_000)));
        var rental = await client.RentalAsync(id);
        Assert.Equal(expected.ToString(), rental["charged"].Text());
        var charges = await client.ChargesAsync(id);
        Assert.Equal(20, charges.Count);
        Assert.Equal(reports.Select(r => r.RequestId).Order(), charges.Select(c => c!["requestId"].Text()).Order());
        Assert.Equal(expected, TokenAmount.Sum(charges.Select(c => c!["usage"].Amount())));
        // Replaying all twenty at once moves nothing more.
        var replays = await Task.WhenAll(reports.Select(r => provider.ReportUsageAsync(id, r.RequestId, r.Input, r.Output)));
        Assert.All(replays, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(expected.ToString(), (await client.RentalAsync(id))["charged"].Text());
        await client.ActAsync(id, "stop");
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Reports_past_the_budget_are_capped_and_end_the_rental_with_warnings_at_twenty_and_five_percent_and_nothing_owed()
    {
        var (provider, offerId, client) = await api.ModelMarketAsync(inputPrice: "1", outputPrice: "0", funds: "100");
        var id = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "1" });

        // 0.8 spent: 20% left.
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(id, "a", 800_000, 0)).StatusCode);
        // 0.95 spent: 5% left.
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(id, "b", 150_000, 0)).StatusCode);
        Assert.Equal("active", (await client.RentalAsync(id))["status"].Text());
        // A request costing 0.1 with 0.05 left is charged 0.05, and the budget is spent.
        var last = await provider.ReportUsageAsync(id, "c", 100_000, 0);
        Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        Assert.Equal("0.05", (await last.Content.ReadFromJsonAsync<JsonObject>())!["usage"].Text());

        var ended = await client.RentalAsync(id);
        Assert.Equal("terminated", ended["status"].Text());
        Assert.Equal("insufficient_funds", ended["endReason"].Text());
        Assert.Equal("1", ended["charged"].Text());
        Assert.Equal("0.0025", ended["chargedClientFee"].Text());
        Assert.Equal("0", ended["refunded"].Text());
        Assert.Equal("0", ended["held"].Text());
        // Nothing owed either way: the client paid exactly its budget and fee, the provider earned on exactly the budget.
        var balances = await client.BalancesAsync();
        Assert.Equal("98.9975", balances["available"].Text());
        Assert.Equal("0", balances["escrow"].Text());
        Assert.Equal("0.9775", (await provider.BalancesAsync())["earnings"].Text());
        Assert.Contains("terminated", await (await provider.ReportUsageAsync(id, "d", 1, 0)).DetailAsync(HttpStatusCode.Conflict));

        var events = await client.EventsAsync(id);
        Assert.Equal(["created", "accepted", "charge_warning", "charge_warning", "terminated"], events.Select(e => e!["type"].Text()));
        Assert.Contains("20%", events[2]!["detail"].Text());
        Assert.Contains("5%", events[3]!["detail"].Text());
        Assert.Equal("insufficient_funds", events[4]!["reason"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Extending_a_model_budget_escrows_it_and_raises_the_point_where_the_rental_ends()
    {
        var (provider, offerId, client) = await api.ModelMarketAsync(inputPrice: "1", outputPrice: "2");
        var id = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "1" });
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(id, "x", 500_000, 0)).StatusCode);
        var extended = await client.ActAsync(id, "extend", new { budget = "2" });
        Assert.Equal("3", extended["escrowed"].Text());
        Assert.Equal("0.0075", extended["escrowedFee"].Text());
        // 0.5 + 2 × 1 = 2.5 spent of 3: still running where the first budget would have ended it.
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(id, "y", 0, 1_000_000)).StatusCode);
        var rental = await client.RentalAsync(id);
        Assert.Equal("active", rental["status"].Text());
        Assert.Equal("2.5", rental["charged"].Text());
        var stopped = await client.ActAsync(id, "stop");
        Assert.Equal("0.50125", stopped["refunded"].Text());
        Assert.Equal((TokenAmount.Parse("100") - TokenAmount.Parse("2.50625")).ToString(), (await client.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Only_the_provider_reports_usage_and_only_for_an_active_model_rental()
    {
        var (provider, offerId, client) = await api.ModelMarketAsync();
        var id = (await client.RentAsync(new { kind = "model", offerId, budget = "1" }))["id"]!.GetValue<Guid>();
        Assert.Contains("pending", await (await provider.ReportUsageAsync(id, "early", 10, 10)).DetailAsync(HttpStatusCode.Conflict));
        await provider.ActAsync(id, "accept");
        Assert.Contains("provider", await (await client.ReportUsageAsync(id, "self", 10, 10)).DetailAsync(HttpStatusCode.Forbidden));
        var stranger = await api.SignUpAsync("provider");
        await (await stranger.ReportUsageAsync(id, "stranger", 10, 10)).ProblemAsync(HttpStatusCode.NotFound);
        var tooCheap = await api.ModelMarketAsync(inputPrice: "0.000000000000000001", outputPrice: "0");
        var cheap = await tooCheap.Client.RentActiveAsync(tooCheap.Provider, new { kind = "model", offerId = tooCheap.OfferId, budget = "1" });
        var belowOneUnit = await tooCheap.Provider.ReportUsageAsync(cheap, "tiny", 999_999, 0);
        Assert.Contains("less than one base unit", (await belowOneUnit.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("inputTokens"));
        Assert.Empty(await tooCheap.Client.ChargesAsync(cheap));
        await client.ActAsync(id, "stop");
        await tooCheap.Client.ActAsync(cheap, "stop");
        await api.AssertLedgerCleanAsync();
    }
}
