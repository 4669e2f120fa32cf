using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>Stripe's Idempotency-Key semantics on the money-moving POSTs.</summary>
public sealed class IdempotencyKeyTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task A_replay_with_the_same_body_returns_the_first_answer_and_moves_nothing()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "10");
        var key = Guid.NewGuid().ToString();

        var first = await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "4" }, key);
        var replay = await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "4" }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("6", (await account.BalancesAsync())["available"]!.GetValue<string>());
        Assert.Single((await account.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))!);
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_422()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "10");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" }, key)).StatusCode);

        var problem = await (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "2" }, key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("different request", problem["detail"]!.GetValue<string>());
        Assert.Equal("9", (await account.BalancesAsync())["available"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_are_scoped_per_account()
    {
        var first = await api.VerifiedAccountWithIdAsync();
        var second = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(first.Id, "3");
        await api.FundAsync(second.Id, "3");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await first.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" }, key)).StatusCode);
        var other = await second.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" }, key);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("2", (await second.BalancesAsync())["available"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ten_concurrent_duplicates_have_one_effect_and_all_get_the_same_answer()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "100");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "7" }, key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(9, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal("93", (await account.BalancesAsync())["available"]!.GetValue<string>());
        Assert.Single((await account.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))!);
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_refused_request_keeps_no_key_so_it_can_be_retried_after_the_cause_is_fixed()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        var key = Guid.NewGuid().ToString();
        await (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "2" }, key)).ProblemAsync(HttpStatusCode.PaymentRequired);
        await api.FundAsync(account.Id, "2");
        Assert.Equal(HttpStatusCode.Created, (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "2" }, key)).StatusCode);
        await api.AssertLedgerCleanAsync();
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "printable ASCII")]
    [InlineData("has space", "printable ASCII")]
    [InlineData("k\"e\"y\u007f", "printable ASCII")]
    public async Task A_missing_or_malformed_key_is_a_400_naming_the_header(string? key, string reason)
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "1");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/withdrawals") { Content = JsonContent.Create(new { amount = "1" }) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        var problem = await (await account.Http.SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.ErrorsFor("Idempotency-Key"));
        Assert.Equal("1", (await account.BalancesAsync())["available"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_of_256_characters_is_a_400_and_255_is_accepted()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "1");
        await (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" }, new string('k', 256))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, (await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" }, new string('k', 255))).StatusCode);
    }

    [Fact]
    public async Task The_cleanup_deletes_keys_past_the_retention_and_keeps_younger_ones()
    {
        var account = await api.VerifiedAccountWithIdAsync();
        await api.FundAsync(account.Id, "2");
        var old = Guid.NewGuid().ToString();
        var young = Guid.NewGuid().ToString();
        await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" }, old);
        await account.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" }, young);
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var age = dataSource.CreateCommand("update idempotency_keys set created_at = now() - interval '25 hours' where key = @key"))
        {
            age.Parameters.AddWithValue("key", old);
            await age.ExecuteNonQueryAsync();
        }
        var cleanup = api.Services.GetServices<IHostedService>().OfType<IdempotencyKeyCleanup>().Single();
        Assert.True(await cleanup.DeleteExpiredAsync(CancellationToken.None) >= 1);

        await using var remaining = dataSource.CreateCommand("select key from idempotency_keys where account_id = @account");
        remaining.Parameters.AddWithValue("account", account.Id);
        var keys = new List<string>();
        await using var reader = await remaining.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }
        Assert.Equal([young], keys);
    }

    [Fact]
    public async Task The_api_document_names_the_header_on_each_money_moving_operation()
    {
        var document = (await api.Client().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        foreach (var (path, operation) in new[] { ("/v1/withdrawals", "post"), ("/v1/withdrawals/{id}/cancel", "post") })
        {
            var parameters = document["paths"]![path]![operation]!["parameters"]!.AsArray();
            var header = parameters.Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
            Assert.Equal("header", header["in"]!.GetValue<string>());
            Assert.True(header["required"]!.GetValue<bool>());
        }
        Assert.DoesNotContain(document["paths"]!["/v1/withdrawals"]!["get"]!["parameters"]?.AsArray() ?? [],
            p => p!["name"]!.GetValue<string>() == "Idempotency-Key");
    }
}
