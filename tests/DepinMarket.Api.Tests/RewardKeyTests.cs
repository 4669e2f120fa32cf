using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Rewards;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Behind the closers' lock: closers that skip it still close an epoch once (the journal's external reference for an
/// epoch that emits, the epoch's primary key for one that does not); and the pool's funding, which moves an account's
/// available tokens once per Idempotency-Key.
/// </summary>
public sealed class RewardKeyTests(RewardApi api) : IClassFixture<RewardApi>
{
    [Fact]
    public async Task Closers_without_the_lock_still_close_each_epoch_once()
    {
        await api.FundPoolAsync("300");
        var (provider, offerId, client) = await api.ModelMarketAsync(funds: "100");
        var rental = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "10" });
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(rental, "req-1", 1000, 0)).StatusCode);
        var earnings = (await provider.BalancesAsync())["earnings"].Amount();
        api.PastCloseOf(0);

        var emitting = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.Closer.CloseNextAsync(takeLock: false, CancellationToken.None)));
        Assert.Equal(1, emitting.Count(r => r.Outcome == RewardCloseOutcome.Closed));
        Assert.All(emitting.Where(r => r.Outcome != RewardCloseOutcome.Closed), r => Assert.Contains(r.Outcome, new[] { RewardCloseOutcome.AlreadyClosed, RewardCloseOutcome.NotDue }));
        // The only provider of the only kind billed takes the whole providers' share, once.
        Assert.Equal("90", (await api.EpochAsync(0))["providersShare"].Text());
        Assert.Equal(earnings + Domain.Money.TokenAmount.Parse("90"), (await provider.BalancesAsync())["earnings"].Amount());

        // Epoch 1: nobody billed, no journal; the primary key alone decides.
        api.PastCloseOf(1);
        var idle = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.Closer.CloseNextAsync(takeLock: false, CancellationToken.None)));
        Assert.Equal(1, idle.Count(r => r.Outcome == RewardCloseOutcome.Closed));
        Assert.Equal(2, await ScalarAsync("select count(*) from reward_epochs"));
        Assert.Equal(1, await ScalarAsync("select count(*) from journals where kind = 'reward'"));
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Funding_the_pool_moves_available_tokens_once_per_key_and_refuses_what_the_account_lacks()
    {
        var funder = await api.SignUpAsync("client");
        await api.FundAsync(funder.Id, "50");
        var key = Guid.NewGuid().ToString();
        var first = await funder.Http.PostMoneyAsync("/v1/rewards/pool", new { amount = "20" }, key);
        var again = await funder.Http.PostMoneyAsync("/v1/rewards/pool", new { amount = "20" }, key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("30", (await funder.BalancesAsync())["available"].Text());
        var statement = (await funder.Http.GetFromJsonAsync<JsonObject>("/v1/ledger"))!["lines"]!.AsArray();
        Assert.Single(statement, line => line!["kind"].Text() == "reward_funding");

        Assert.Contains("20 tokens short", await (await funder.Http.PostMoneyAsync("/v1/rewards/pool", new { amount = "50" })).DetailAsync(HttpStatusCode.PaymentRequired));
        var zero = await (await funder.Http.PostMoneyAsync("/v1/rewards/pool", new { amount = "0" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("amount", zero["errors"]!.AsObject().Single().Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client().PostMoneyAsync("/v1/rewards/pool", new { amount = "1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ReadOnlyClientAsync(funder)).PostMoneyAsync("/v1/rewards/pool", new { amount = "1" })).StatusCode);
        await api.AssertLedgerCleanAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
