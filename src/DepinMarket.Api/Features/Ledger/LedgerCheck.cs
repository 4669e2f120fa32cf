using System.Data;
using System.Numerics;
using DepinMarket.Domain.Money;
using Npgsql;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>A journal whose postings do not sum to zero (or that has fewer than two).</summary>
public sealed record UnbalancedJournal(long JournalId, TokenDelta Sum, int Postings);

/// <summary>A ledger account whose stored balance differs from the sum of its postings.</summary>
public sealed record BalanceMismatch(long LedgerAccountId, Guid? AccountId, string Kind, TokenDelta Expected, TokenDelta Actual);

/// <summary>A balance below zero on an account that may not go there (anything but the chain).</summary>
public sealed record NegativeBalance(long LedgerAccountId, Guid? AccountId, string Kind, TokenDelta Balance);

/// <summary>What one further check (e.g. the vault's on-chain holdings) found.</summary>
public sealed record ExtensionResult(string Name, bool Consistent, IReadOnlyList<string> Differences);

/// <param name="SumOfBalances">All balances together, the chain's included; zero when the ledger is whole.</param>
/// <param name="NotChecked">Invariants this check cannot verify yet, and why.</param>
public sealed record LedgerCheckReport(bool Consistent, long Journals, long LedgerAccounts, TokenDelta SumOfBalances,
    IReadOnlyList<UnbalancedJournal> UnbalancedJournals, IReadOnlyList<BalanceMismatch> BalanceMismatches,
    IReadOnlyList<NegativeBalance> NegativeBalances, IReadOnlyList<ExtensionResult> Extensions, IReadOnlyList<string> NotChecked);

/// <summary>
/// A further invariant the ledger check verifies in its snapshot. The deposit watcher registers one that compares
/// the vault's token balance on chain with the ledger (minus the chain account's balance, i.e. what the ledger
/// holds); register implementations as singletons of this interface.
/// </summary>
public interface ILedgerCheckExtension
{
    string Name { get; }

    Task<IReadOnlyList<string>> DifferencesAsync(NpgsqlConnection connection, NpgsqlTransaction snapshot, CancellationToken cancellationToken);
}

/// <summary>
/// Verifies the ledger in one REPEATABLE READ, read-only snapshot, so postings made while it runs can neither
/// hide a difference nor invent one: every journal sums to zero, every balance equals the sum of its postings, no
/// balance but the chain's is below zero, and all balances sum to zero.
/// </summary>
public sealed class LedgerCheck(NpgsqlDataSource dataSource, IEnumerable<ILedgerCheckExtension> extensions)
{
    /// <summary>The name of the extension that compares the vault's tokens on chain with the ledger.</summary>
    public const string VaultCheckName = "vault";

    public const string VaultNotChecked =
        "vault reconciliation: the tokens the vault holds on chain are not compared with the ledger yet; " +
        "the deposit watcher adds that check (an ILedgerCheckExtension).";

    public async Task<LedgerCheckReport> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, snapshot))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var unbalanced = await ReadAsync(connection, snapshot, """
            select j.id, coalesce(sum(p.amount), 0), count(p.id)::int
            from journals j left join postings p on p.journal_id = j.id
            group by j.id having coalesce(sum(p.amount), 0) <> 0 or count(p.id) < 2
            order by j.id
            """, r => new UnbalancedJournal(r.GetInt64(0), Delta(r, 1), r.GetInt32(2)), cancellationToken);
        var mismatches = await ReadAsync(connection, snapshot, """
            select l.id, l.account_id, l.kind, coalesce(s.total, 0), l.balance
            from ledger_accounts l left join (select ledger_account_id, sum(amount) as total from postings group by ledger_account_id) s
              on s.ledger_account_id = l.id
            where l.balance <> coalesce(s.total, 0)
            order by l.id
            """, r => new BalanceMismatch(r.GetInt64(0), OwnerOf(r), r.GetString(2), Delta(r, 3), Delta(r, 4)), cancellationToken);
        var negative = await ReadAsync(connection, snapshot,
            "select id, account_id, kind, balance from ledger_accounts where balance < 0 and kind <> 'chain' order by id",
            r => new NegativeBalance(r.GetInt64(0), OwnerOf(r), r.GetString(2), Delta(r, 3)), cancellationToken);
        var totals = (await ReadAsync(connection, snapshot,
            "select (select count(*) from journals), count(*), coalesce(sum(balance), 0) from ledger_accounts",
            r => (Journals: r.GetInt64(0), Accounts: r.GetInt64(1), Sum: Delta(r, 2)), cancellationToken))[0];

        var results = new List<ExtensionResult>();
        foreach (var extension in extensions)
        {
            var differences = await extension.DifferencesAsync(connection, snapshot, cancellationToken);
            results.Add(new ExtensionResult(extension.Name, differences.Count == 0, differences));
        }
        await snapshot.CommitAsync(cancellationToken);

        var consistent = unbalanced.Count == 0 && mismatches.Count == 0 && negative.Count == 0 && totals.Sum.IsZero && results.All(r => r.Consistent);
        return new LedgerCheckReport(consistent, totals.Journals, totals.Accounts, totals.Sum, unbalanced, mismatches, negative, results,
            results.Any(r => r.Name == VaultCheckName) ? [] : [VaultNotChecked]);
    }

    private static TokenDelta Delta(NpgsqlDataReader reader, int ordinal) => new(reader.GetFieldValue<BigInteger>(ordinal));

    private static Guid? OwnerOf(NpgsqlDataReader reader) => reader.IsDBNull(1) ? null : reader.GetGuid(1);

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, NpgsqlTransaction snapshot, string sql,
        Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, snapshot);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }
}
