using System.Net;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>The operator's ledger check on a database of its own (these tests corrupt it on purpose).</summary>
public sealed class LedgerCheckTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task The_check_names_a_corrupted_balance_and_the_nonzero_sum()
    {
        var account = await api.SignUpAsync();
        await api.FundAsync(account.Id, "5");
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        long ledgerAccountId;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            ledgerAccountId = (await MarketLedgerAccounts.EnsureAsync(connection, null, account.Id, CancellationToken.None))[LedgerAccountKind.Available];
        }
        await api.AssertLedgerCleanAsync();

        await using (var corrupt = dataSource.CreateCommand("update ledger_accounts set balance = balance + 1000000000000000000 where id = @id"))
        {
            corrupt.Parameters.AddWithValue("id", ledgerAccountId);
            await corrupt.ExecuteNonQueryAsync();
        }
        var report = await api.LedgerCheckAsync();
        Assert.False(report["consistent"]!.GetValue<bool>());
        var mismatch = report["balanceMismatches"]!.AsArray().Single()!;
        Assert.Equal(ledgerAccountId, mismatch["ledgerAccountId"]!.GetValue<long>());
        Assert.Equal(account.Id, mismatch["accountId"]!.GetValue<Guid>());
        Assert.Equal("available", mismatch["kind"]!.GetValue<string>());
        Assert.Equal("5", mismatch["expected"]!.GetValue<string>());
        Assert.Equal("6", mismatch["actual"]!.GetValue<string>());
        Assert.Equal("1", report["sumOfBalances"]!.GetValue<string>());
        Assert.Empty(report["unbalancedJournals"]!.AsArray());

        await using (var repair = dataSource.CreateCommand("update ledger_accounts set balance = balance - 1000000000000000000 where id = @id"))
        {
            repair.Parameters.AddWithValue("id", ledgerAccountId);
            await repair.ExecuteNonQueryAsync();
        }
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task The_check_names_a_journal_whose_postings_do_not_sum_to_zero()
    {
        var account = await api.SignUpAsync();
        var journal = await api.FundAsync(account.Id, "2");
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        // Both the posting and its account's balance are changed, so only the journal's sum is wrong.
        await using (var corrupt = dataSource.CreateCommand("""
            with p as (update postings set amount = amount + 7, balance_after = balance_after + 7 where journal_id = @j and amount > 0 returning ledger_account_id)
            update ledger_accounts set balance = balance + 7 from p where id = p.ledger_account_id
            """))
        {
            corrupt.Parameters.AddWithValue("j", journal);
            await corrupt.ExecuteNonQueryAsync();
        }
        var report = await api.LedgerCheckAsync();
        var unbalanced = report["unbalancedJournals"]!.AsArray().Single()!;
        Assert.Equal(journal, unbalanced["journalId"]!.GetValue<long>());
        Assert.Equal("0.000000000000000007", unbalanced["sum"]!.GetValue<string>());
        Assert.Empty(report["balanceMismatches"]!.AsArray());

        await using (var repair = dataSource.CreateCommand("""
            with p as (update postings set amount = amount - 7, balance_after = balance_after - 7 where journal_id = @j and amount > 0 returning ledger_account_id)
            update ledger_accounts set balance = balance - 7 from p where id = p.ledger_account_id
            """))
        {
            repair.Parameters.AddWithValue("j", journal);
            await repair.ExecuteNonQueryAsync();
        }
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task The_check_says_the_vault_is_not_reconciled_yet_and_is_operator_only()
    {
        var report = await api.LedgerCheckAsync();
        Assert.Contains("vault reconciliation", report["notChecked"]!.AsArray().Single()!.GetValue<string>());
        var account = await api.SignUpAsync();
        await (await account.Http.GetAsync("/v1/admin/ledger/check")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_external_reference_is_posted_once()
    {
        var account = await api.SignUpAsync();
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        var reference = $"0x{Guid.NewGuid():N}:3";
        long?[] ids = new long?[2];
        for (var i = 0; i < 2; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var ledger = await MarketLedgerAccounts.EnsureAsync(connection, transaction, account.Id, CancellationToken.None);
            var draft = JournalDraft.Transfer(JournalKind.Deposit, reference, PlatformLedgerAccounts.Chain, ledger[LedgerAccountKind.Available], TokenAmount.FromWholeTokens(1), external: true);
            ids[i] = await LedgerPoster.PostAsync(connection, transaction, draft, DateTimeOffset.UtcNow, CancellationToken.None);
            await transaction.CommitAsync();
        }
        Assert.NotNull(ids[0]);
        Assert.Null(ids[1]);
        Assert.Equal("1", (await account.BalancesAsync())["available"]!.GetValue<string>());
        await api.AssertLedgerCleanAsync();
    }
}
