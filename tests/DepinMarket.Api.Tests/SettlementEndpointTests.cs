using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>The settlement endpoints without a chain: who may call them, and what bad input gets.</summary>
public sealed class SettlementEndpointTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task An_account_sees_only_its_own_payouts_and_why_its_earnings_wait()
    {
        var account = await api.SignUpAsync("provider");
        var page = (await account.Http.GetFromJsonAsync<JsonObject>("/v1/payouts"))!;
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal("0", page["payable"]!["earnings"].Text());
        Assert.False(page["payable"]!["walletVerified"]!.GetValue<bool>());
        Assert.Equal("1", page["payable"]!["minimumPayout"].Text());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client().GetAsync("/v1/payouts")).StatusCode);
    }

    [Theory]
    [InlineData("?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("?cursor=%00", "cursor")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?status=paid", "status")]
    public async Task The_payout_list_refuses_bad_paging_and_parameters_it_does_not_take(string query, string field)
    {
        var account = await api.SignUpAsync("provider");
        var problem = await (await account.Http.GetAsync("/v1/payouts" + query)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/admin/settlement/batches")]
    [InlineData("GET", "/v1/admin/settlement/reconcile")]
    [InlineData("POST", "/v1/admin/settlement/run")]
    public async Task The_settlement_admin_endpoints_refuse_a_market_account(string method, string path)
    {
        var account = await api.SignUpAsync("provider", "client");
        var response = await account.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Contains("operator key", await response.DetailAsync(HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
    }

    [Fact]
    public async Task Without_a_chain_a_run_and_a_reconciliation_are_503_naming_what_is_missing_and_the_batch_list_is_empty()
    {
        var operatorClient = api.Client(MarketApi.OperatorKey);
        Assert.Contains("Chain:RpcUrl", await (await operatorClient.PostAsync("/v1/admin/settlement/run", null)).DetailAsync(HttpStatusCode.ServiceUnavailable));
        Assert.Contains("Chain:RpcUrl", await (await operatorClient.GetAsync("/v1/admin/settlement/reconcile")).DetailAsync(HttpStatusCode.ServiceUnavailable));
        Assert.Empty((await operatorClient.GetFromJsonAsync<JsonObject>("/v1/admin/settlement/batches"))!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.GetAsync("/v1/admin/settlement/batches?cursor=forged")).StatusCode);
        Assert.Contains("from 1 to 1000", (await (await operatorClient.GetAsync("/v1/admin/settlement/reconcile?batches=0")).ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("batches"), StringComparison.Ordinal);
    }
}
