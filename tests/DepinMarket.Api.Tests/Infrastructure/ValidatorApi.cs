using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Validators;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// <see cref="RentalApi"/> (a manual clock) with model scoring from genesis = the clock's start: one-hour epochs, the
/// closer's timer off, epochs closed by hand (<see cref="CloseAsync"/>) once the test moves the clock past their end.
/// </summary>
public class ValidatorApi : RentalApi
{
    public static readonly TimeSpan EpochLength = TimeSpan.FromHours(1);

    /// <summary>Epoch 0 starts here: the clock's start cut to whole seconds, so the clock is already in epoch 0.</summary>
    public DateTimeOffset Genesis => StartInWholeSeconds;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Validators:Genesis"] = Genesis.ToString("O", CultureInfo.InvariantCulture),
        ["Validators:EpochLength"] = "01:00:00",
        ["Validators:CloseInterval"] = "00:00:00",
    };

    public ModelScoreEpochCloser Closer => Services.GetRequiredService<ModelScoreEpochCloser>();

    /// <summary>The epoch the clock is in.</summary>
    public long CurrentEpoch => (Clock.GetUtcNow() - Genesis).Ticks / EpochLength.Ticks;

    /// <summary>Moves the clock into the next epoch, so the current one has finished.</summary>
    public void FinishEpoch() => Clock.Advance(Genesis + (CurrentEpoch + 1) * EpochLength - Clock.GetUtcNow() + TimeSpan.FromSeconds(1));

    /// <summary>One run of the closer: every finished epoch with scores, in order.</summary>
    public Task<IReadOnlyList<long>> CloseAsync() => Closer.RunOnceAsync(CancellationToken.None);
}

/// <summary>Validators, their stake and their scores, through the public API where there is one.</summary>
public static class ValidatorScenario
{
    /// <summary>PUT /v1/admin/validators/{id} with the operator key.</summary>
    public static async Task<JsonObject> GrantValidatorAsync(this MarketApi api, Guid accountId)
    {
        var response = await api.Client(MarketApi.OperatorKey).PutAsync($"/v1/admin/validators/{accountId}", null);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A new account with <paramref name="stakeTokens"/> staked and the validator role.</summary>
    public static async Task<TestAccount> ValidatorAsync(this MarketApi api, string stakeTokens = "100")
    {
        var account = await api.SignUpAsync("client");
        await api.StakeAsync(account.Id, stakeTokens);
        await api.GrantValidatorAsync(account.Id);
        return account;
    }

    /// <summary>
    /// Funds the account with <paramref name="tokens"/> and moves them from its available balance to its stake, as a
    /// transfer journal through <see cref="LedgerPoster"/> (the staking endpoints are not what these tests are about).
    /// </summary>
    public static async Task StakeAsync(this MarketApi api, Guid accountId, string tokens)
    {
        await api.FundAsync(accountId, tokens);
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ledger = await MarketLedgerAccounts.EnsureAsync(connection, transaction, accountId, CancellationToken.None);
        var journal = JournalDraft.Transfer(JournalKind.Transfer, $"test-stake:{Guid.NewGuid()}", ledger[LedgerAccountKind.Available],
            ledger[LedgerAccountKind.Stake], TokenAmount.Parse(tokens));
        await LedgerPoster.PostAsync(connection, transaction, journal, DateTimeOffset.UtcNow, CancellationToken.None);
        await transaction.CommitAsync();
    }

    /// <summary>A new provider's published model offer.</summary>
    public static async Task<Guid> ModelOfferAsync(this MarketApi api) =>
        await (await api.SignUpAsync("provider")).PublishOfferAsync("model", RentalMarkets.ModelOffer());

    /// <summary>POST /v1/model-scores with <paramref name="body"/>.</summary>
    public static Task<HttpResponseMessage> SubmitScoresAsync(this TestAccount validator, object body) =>
        validator.Http.PostAsJsonAsync("/v1/model-scores", body);

    /// <summary>Submits the scores (offer, quality, latency) for the current epoch and expects them taken.</summary>
    public static async Task<JsonObject> ScoreAsync(this TestAccount validator, params (Guid Offer, double Quality, double Latency)[] scores)
    {
        var response = await validator.SubmitScoresAsync(new { scores = scores.Select(s => new { offerId = s.Offer, quality = s.Quality, latency = s.Latency }) });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>GET /v1/model-scores/epochs/{epoch} with <paramref name="account"/>'s key.</summary>
    public static async Task<JsonObject> ScoreEpochAsync(this TestAccount account, long epoch, string query = "")
    {
        var response = await account.Http.GetAsync($"/v1/model-scores/epochs/{epoch}{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The validator as GET /v1/admin/validators lists it.</summary>
    public static async Task<JsonObject> ListedValidatorAsync(this MarketApi api, Guid accountId)
    {
        var operatorClient = api.Client(MarketApi.OperatorKey);
        string? cursor = null;
        do
        {
            var page = (await operatorClient.GetFromJsonAsync<JsonObject>($"/v1/admin/validators?limit=200{(cursor is null ? "" : $"&cursor={cursor}")}"))!;
            if (page["items"]!.AsArray().FirstOrDefault(v => v!["accountId"]!.GetValue<Guid>() == accountId) is { } found)
            {
                return found.AsObject();
            }
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        throw new InvalidOperationException($"Validator {accountId} is not listed.");
    }

    /// <summary>
    /// Until <paramref name="count"/> sessions wait for an advisory lock (the epoch's lock a test holds), so the test
    /// knows they are queued behind it. A wait, not a timing assertion: it returns as soon as they are; it fails if
    /// <paramref name="work"/> finishes first (it never needed the lock).
    /// </summary>
    public static async Task WaitForLockWaitersAsync(NpgsqlDataSource dataSource, int count, Task work)
    {
        for (var attempt = 0; attempt < 1500; attempt++)
        {
            Assert.False(work.IsCompleted, "the work finished without waiting for the lock");
            await using var waiting = dataSource.CreateCommand("select count(*) from pg_locks where locktype = 'advisory' and not granted");
            if ((long)(await waiting.ExecuteScalarAsync())! >= count)
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"{count} sessions never waited for the lock");
    }
}
