using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>
/// The one way tokens move: posts a <see cref="JournalDraft"/> inside the caller's open transaction, so the
/// journal commits or rolls back with whatever else the caller writes (a withdrawal row, an idempotency key, a
/// watcher's progress). One round trip carrying two statements (an <see cref="NpgsqlBatch"/>): the first locks the
/// touched ledger accounts in id order (<c>FOR NO KEY UPDATE</c> after <c>ORDER BY id</c>: writers queue in one
/// order and never deadlock, and the postings' foreign keys, which take <c>FOR KEY SHARE</c>, are not blocked) and
/// returns their balances; the second, whose snapshot is taken once those locks are held and so sees the current
/// balances, checks that no account but the chain would go below zero (the rule of the CHECK on balances, which stays
/// the backstop) and only then inserts the journal and its postings and applies relative updates
/// (<c>balance = balance + change</c>). A refused journal writes nothing and becomes
/// <see cref="InsufficientBalanceException"/> naming the shortfall, computed from the locked balances.
/// </summary>
public static class LedgerPoster
{
    private const string LockSql =
        "select id, kind, balance from ledger_accounts where id = any(@accounts) order by id for no key update";

    // Every write joins the inserted journal, and the insert is guarded by the balance check, so a refused journal
    // (or one naming a missing account) and a journal already posted (an external reference seen before) change
    // nothing and return no row. The lock statement must not be folded in here: one statement has one snapshot, and a
    // check inside it could read balances older than the rows it locked (the property test caught exactly that).
    private const string WriteSql = """
        with cur as (
            select id, kind, balance from ledger_accounts where id = any(@accounts)),
        allowed as (
            select count(*) = cardinality(@accounts) and coalesce(bool_and(l.kind = 'chain' or l.balance + d.change >= 0), false) as ok
            from cur l join unnest(@accounts, @changes) as d(id, change) on l.id = d.id),
        j as (
            insert into journals (kind, reference, external, created_at)
            select @kind, @reference, @external, @now where (select ok from allowed)
            on conflict (kind, reference) where external do nothing
            returning id),
        u as (
            update ledger_accounts l set balance = l.balance + d.change
            from unnest(@accounts, @changes) as d(id, change), j
            where l.id = d.id),
        p as (
            insert into postings (journal_id, ledger_account_id, amount, balance_after)
            select j.id, x.account, x.amount, l.balance + x.amount
            from j, unnest(@posting_accounts, @amounts) with ordinality as x(account, amount, n) join cur l on l.id = x.account
            order by x.n)
        select id from j
        """;

    /// <summary>Posts <paramref name="journal"/> in the DbContext's current transaction (one must be open).</summary>
    /// <returns>The journal's id; null when <paramref name="journal"/> is external and was posted before (nothing moved).</returns>
    public static Task<long?> PostAsync(MarketDbContext db, JournalDraft journal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("LedgerPoster needs an open transaction: the journal must commit with the change it records.");
        return PostAsync((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction(), journal, now, cancellationToken);
    }

    /// <summary>Posts <paramref name="journal"/> in <paramref name="transaction"/> (for background services on raw connections).</summary>
    /// <returns>The journal's id; null when <paramref name="journal"/> is external and was posted before (nothing moved).</returns>
    /// <exception cref="InsufficientBalanceException">A ledger account other than the chain would go below zero.</exception>
    /// <exception cref="ArgumentException">A posting names a ledger account that does not exist.</exception>
    public static async Task<long?> PostAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, JournalDraft journal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var net = journal.NetChanges();
        var accounts = net.Keys.Order().ToArray();

        var accountsParameter = new NpgsqlParameter("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = accounts };
        var lockCommand = new NpgsqlBatchCommand(LockSql) { Parameters = { accountsParameter } };
        var write = new NpgsqlBatchCommand(WriteSql);
        write.Parameters.AddWithValue("kind", SnakeCaseNames.ToSnakeCase(journal.Kind.ToString()));
        write.Parameters.AddWithValue("reference", journal.Reference);
        write.Parameters.AddWithValue("external", journal.External);
        write.Parameters.AddWithValue("now", now);
        write.Parameters.Add(accountsParameter.Clone());
        write.Parameters.Add(Numerics("changes", accounts.Select(a => net[a].BaseUnits)));
        write.Parameters.Add(new NpgsqlParameter("posting_accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = journal.Postings.Select(p => p.LedgerAccountId).ToArray() });
        write.Parameters.Add(Numerics("amounts", journal.Postings.Select(p => p.Amount.BaseUnits)));
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { lockCommand, write } };
        // Prepared statements persist on the physical connection: the first call per connection parses and plans the
        // two statements, later calls find them prepared and skip both (the write's planning is most of its cost).
        await batch.PrepareAsync(cancellationToken);

        var balances = new Dictionary<long, (LedgerAccountKind, BigInteger)>(accounts.Length);
        long? journalId = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                balances[reader.GetInt64(0)] = (LedgerAccountKindText.Parse(reader.GetString(1)), reader.GetFieldValue<BigInteger>(2));
            }
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                journalId = reader.GetInt64(0);
            }
        }

        // The write statement wrote nothing in these two cases (its check saw the balances the lock returned).
        var missing = accounts.Where(id => !balances.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException($"No ledger account has id {string.Join(", ", missing)}.", nameof(journal));
        }
        var shortfalls = Shortfall.Of(journal, balances);
        return shortfalls.Count > 0 ? throw new InsufficientBalanceException(shortfalls[0]) : journalId;
    }

    private static NpgsqlParameter Numerics(string name, IEnumerable<BigInteger> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = values.ToArray() };
}
