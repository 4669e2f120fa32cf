using System.Net;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The list endpoints read their query strings as strictly as offer search does: a parameter they do not take, or one
/// given twice, is a 400 naming it, never silently ignored (a filter that is ignored answers with everything).
/// </summary>
public sealed class QueryParameterTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Theory]
    [InlineData("/v1/deposits?status=held", "status", false)]
    [InlineData("/v1/deposits/relays?limit=5", "limit", false)]
    [InlineData("/v1/withdrawals?status=requested", "status", false)]
    [InlineData("/v1/accounts/me/api-keys?revoked=true", "revoked", false)]
    [InlineData("/v1/admin/accounts?limit=10", "limit", true)]
    [InlineData("/v1/admin/deposits/held?account=x", "account", true)]
    public async Task A_list_that_takes_no_query_parameters_refuses_one_naming_it(string path, string parameter, bool operatorKey)
    {
        var http = operatorKey ? api.Client(MarketApi.OperatorKey) : (await api.SignUpAsync()).Http;

        var problem = await (await http.GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest);

        var message = Assert.Single(problem["errors"]![parameter]!.AsArray())!.GetValue<string>();
        Assert.Contains($"is not a parameter of GET {path[..path.IndexOf('?', StringComparison.Ordinal)]}: it takes no query parameters", message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(path[..path.IndexOf('?', StringComparison.Ordinal)])).StatusCode);
    }

    [Fact]
    public async Task The_statement_refuses_an_unknown_parameter_with_the_closest_one_it_takes()
    {
        var account = await api.SignUpAsync();

        var problem = await (await account.Http.GetAsync("/v1/ledger?limt=5")).ProblemAsync(HttpStatusCode.BadRequest);

        var message = Assert.Single(problem["errors"]!["limt"]!.AsArray())!.GetValue<string>();
        Assert.Contains("Did you mean \"limit\"?", message, StringComparison.Ordinal);
        Assert.Contains("Allowed: limit, cursor, format.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_given_twice_is_refused_naming_it()
    {
        var account = await api.SignUpAsync();

        var problem = await (await account.Http.GetAsync("/v1/ledger?limit=5&limit=6")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("more than once", Assert.Single(problem["errors"]!["limit"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_unknown_parameter_is_named_in_one_answer_and_offer_search_says_the_same_as_before()
    {
        var account = await api.SignUpAsync();

        var lists = await (await account.Http.GetAsync("/v1/withdrawals?a=1&b=2")).ProblemAsync(HttpStatusCode.BadRequest);
        var search = await (await account.Http.GetAsync("/v1/offers/compute?gpus=8")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["a", "b"], lists["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.StartsWith("is not a filter of compute", Assert.Single(search["errors"]!["gpus"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
    }
}
