using System.Net;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Errors that real PostgreSQL raises inside a request (through <see cref="DatabaseErrorEndpoint"/>) become problem
/// details with the right status, never a 500, and their bodies carry no SQL.
/// </summary>
public sealed class DatabaseErrorTests(DatabaseErrorTests.WithErrorEndpoint api) : IClassFixture<DatabaseErrorTests.WithErrorEndpoint>
{
    public sealed class WithErrorEndpoint : MarketApi
    {
        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<IStartupFilter, DatabaseErrorEndpoint>();
    }

    [Fact]
    public async Task A_check_violation_is_a_409_that_names_the_constraint()
    {
        var problem = await Raise("check", HttpStatusCode.Conflict);
        Assert.Contains("amount_is_positive", problem);
    }

    [Fact]
    public async Task A_foreign_key_violation_is_a_409()
    {
        var problem = await Raise("foreign-key", HttpStatusCode.Conflict);
        Assert.Contains("refers to an object that does not exist", problem);
    }

    [Fact]
    public async Task A_not_null_violation_is_a_400_that_names_the_value()
    {
        var problem = await Raise("not-null", HttpStatusCode.BadRequest);
        Assert.Contains("\"name\"", problem);
    }

    [Fact]
    public async Task A_deadlock_is_a_503_to_retry_after_one_second()
    {
        var problem = await Raise("deadlock", HttpStatusCode.ServiceUnavailable, expectRetryAfter: true);
        Assert.Contains("deadlock", problem);
    }

    [Fact]
    public async Task A_serialization_failure_is_a_503_to_retry_after_one_second()
    {
        var problem = await Raise("serialization", HttpStatusCode.ServiceUnavailable, expectRetryAfter: true);
        Assert.Contains("at the same time", problem);
    }

    [Fact]
    public async Task A_server_out_of_connections_is_a_503_to_retry_later_not_a_500()
    {
        var problem = await Raise("too-many-connections", HttpStatusCode.ServiceUnavailable, expectRetryAfter: true, retryAfter: "5");
        Assert.Contains("Nothing of this request was saved", problem);
    }

    private async Task<string> Raise(string kind, HttpStatusCode expected, bool expectRetryAfter = false, string retryAfter = "1")
    {
        var response = await api.Client().PostAsync(DatabaseErrorEndpoint.Path + kind, null);
        var problem = await response.ProblemAsync(expected);
        var sent = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
        Assert.Equal(expectRetryAfter ? retryAfter : null, sent);
        var text = problem.ToJsonString();
        foreach (var sqlWord in new[] { "insert", "update ", "select", "scratch_", "SQLSTATE", "postgres" })
        {
            Assert.DoesNotContain(sqlWord, text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("Npgsql", text);
        return problem["detail"]!.GetValue<string>();
    }
}
