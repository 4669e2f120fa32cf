using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>A usage report shown false: the operator slashes the provider once, the client is compensated, nobody else may.</summary>
public sealed class FalseUsageTests(TrustApi api) : IClassFixture<TrustApi>
{
    [Fact]
    public async Task A_false_usage_report_is_slashed_once_by_the_operator_with_its_evidence()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "100");
        await StakeTests.StakeAsync(provider, "100");
        var offerId = await provider.CreateOfferAsync("model", RentalMarkets.ModelOffer(inputPrice: "1000", outputPrice: "0"));
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "100");
        var rentalId = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "50" });
        // 10,000 input tokens at 1,000 per million: 10 charged.
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(rentalId, "req-inflated", 10_000, 0)).StatusCode);
        var availableBefore = (await client.BalancesAsync())["available"].Amount();

        var body = new { rentalId, requestId = "req-inflated", evidence = "the endpoint's access log shows 1,000 input tokens for req-inflated" };
        // Accounts cannot slash, whoever they are.
        await (await provider.Http.PostAsJsonAsync("/v1/admin/slashes/false-usage", body)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.Http.PostAsJsonAsync("/v1/admin/slashes/false-usage", body)).ProblemAsync(HttpStatusCode.Forbidden);

        var operatorHttp = api.Client(MarketApi.OperatorKey);
        var slashed = await operatorHttp.PostAsJsonAsync("/v1/admin/slashes/false-usage", body);
        Assert.True(slashed.StatusCode == HttpStatusCode.Created, await slashed.Content.ReadAsStringAsync());
        var slash = (await slashed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("false_usage", slash["reason"].Text());
        Assert.Equal("20", slash["amount"].Text());
        Assert.Equal("16", slash["toClient"].Text());
        Assert.Equal("4", slash["toBurn"].Text());
        Assert.Contains("access log", JsonNode.Parse(slash["evidence"].Text())!["Evidence"].Text());
        Assert.Equal(availableBefore + Domain.Money.TokenAmount.Parse("16"), (await client.BalancesAsync())["available"].Amount());

        await (await operatorHttp.PostAsJsonAsync("/v1/admin/slashes/false-usage", body)).ProblemAsync(HttpStatusCode.Conflict);
        await (await operatorHttp.PostAsJsonAsync("/v1/admin/slashes/false-usage", body with { requestId = "req-none" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await operatorHttp.PostAsJsonAsync("/v1/admin/slashes/false-usage", new { rentalId, requestId = "req-inflated", evidence = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("80", (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/stakes"))!["staked"].Text());
        await api.AssertLedgerCleanAsync();
    }
}
