using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Chain.Crypto;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// Money for tests. There is no public endpoint that creates tokens, so tests credit accounts the way the deposit
/// watcher will: a deposit journal from the chain account, posted through <see cref="LedgerPoster"/> in a transaction.
/// </summary>
public static class LedgerScenario
{
    /// <summary>An account whose wallet is verified through wallet sign-in, so it may withdraw.</summary>
    public static async Task<TestAccount> VerifiedAccountWithIdAsync(this MarketApi api)
    {
        var key = EthECKey.GenerateKey();
        var account = await api.SignUpWithWalletAsync(key.GetPublicAddress());
        await account.Http.VerifyWalletAsync(api, key);
        return account;
    }

    /// <summary>Credits <paramref name="tokens"/> to the account's available balance, as a deposit seen on chain.</summary>
    public static async Task<long> FundAsync(this MarketApi api, Guid accountId, string tokens)
    {
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ledger = await MarketLedgerAccounts.EnsureAsync(connection, transaction, accountId, CancellationToken.None);
        var journal = JournalDraft.Transfer(JournalKind.Deposit, $"0x{Guid.NewGuid():N}:0", PlatformLedgerAccounts.Chain,
            ledger[LedgerAccountKind.Available], TokenAmount.Parse(tokens), external: true);
        var id = await LedgerPoster.PostAsync(connection, transaction, journal, DateTimeOffset.UtcNow, CancellationToken.None);
        await transaction.CommitAsync();
        return id!.Value;
    }

    public static async Task<JsonObject> BalancesAsync(this TestAccount account) =>
        (await account.Http.GetFromJsonAsync<JsonObject>("/v1/balances"))!;

    /// <summary>POSTs JSON with an Idempotency-Key (a fresh one unless given).</summary>
    public static Task<HttpResponseMessage> PostMoneyAsync(this HttpClient http, string path, object? body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return http.SendAsync(request);
    }

    /// <summary>Runs GET /v1/admin/ledger/check with the operator key.</summary>
    public static async Task<JsonObject> LedgerCheckAsync(this MarketApi api)
    {
        var response = await api.Client(MarketApi.OperatorKey).GetAsync("/v1/admin/ledger/check");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Asserts the ledger check finds nothing wrong, printing its report when it does.</summary>
    public static async Task AssertLedgerCleanAsync(this MarketApi api)
    {
        var report = await api.LedgerCheckAsync();
        Assert.True(report["consistent"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal("0", report["sumOfBalances"]!.GetValue<string>());
    }
}
