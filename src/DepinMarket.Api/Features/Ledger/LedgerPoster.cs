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
/// order and never deadlock, and the postings' foreign keys, which take <c>FOR KEY SHARE</c>, are not blocked);
/// the second, whose snapshot is taken once those locks are held and so sees the current
/// balances, checks that no account but the chain would go below zero (the rule of the CHECK on balances, which stays
/// the backstop) and only then inserts the journal and its postings and applies relative updates
/// (<c>balance = balance + change</c>). A refused journal writes nothing and becomes
/// <see cref="InsufficientBalanceException"/> naming the shortfall, computed from the balances the write read.
/// <see cref="PostManyAsync"/> sends a batch of journals the same way: one lock statement, one write per journal.
/// </summary>
public static class LedgerPoster
{
    private const string LockSql =
        "select id, kind, balance from ledger_accounts where id = any(@accounts) order by id for no key update";

    // Every write joins the inserted journal, and the insert is guarded by the balance check, so a refused journal
    // (or one naming a missing account) and a journal already posted (an external reference seen before) change
    // nothing and return a null id; the rows returned are the balances the check read. The lock statement must not
    // be folded in here: one statement has one snapshot, and a check inside it could read balances older than the
    // rows it locked (the property test caught exactly that).
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
        select l.id, l.kind, l.balance, (select id from j) from cur l
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
    public static async Task<long?> PostAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, JournalDraft journal, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await PostManyAsync(connection, transaction, [journal], now, cancellationToken))[0];

    /// <summary>
    /// Posts <paramref name="journals"/>, in order, in <paramref name="transaction"/> and one round trip: one lock
    /// statement takes every touched ledger account in id order, then one write statement per journal follows (each
    /// sees the balances the ones before it left). No further row locks are taken after the first statement, so the
    /// ordered-lock argument holds for the whole batch.
    /// </summary>
    /// <returns>Each journal's id, in order; null for an external journal posted before.</returns>
    /// <exception cref="InsufficientBalanceException">
    /// The first journal that would overdraw an account. That journal wrote nothing, but later journals of the batch
    /// may have been written: roll the transaction back, as after any other failure.
    /// </exception>
    /// <exception cref="ArgumentException">A posting names a ledger account that does not exist.</exception>
    public static async Task<IReadOnlyList<long?>> PostManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<JournalDraft> journals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var touched = journals.SelectMany(j => j.NetChanges().Keys).Distinct().Order().ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockSql) { Parameters = { Bigints("accounts", touched) } });
        foreach (var journal in journals)
        {
            batch.BatchCommands.Add(WriteCommand(journal, now));
        }
        // Prepared statements persist on the physical connection: the first call per connection parses and plans the
        // statements, later calls find them prepared and skip both (the write's planning is most of its cost).
        await batch.PrepareAsync(cancellationToken);

        var ids = new long?[journals.Count];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // The lock statement's rows; each write statement reads the balances it checks itself.
        }
        for (var i = 0; i < journals.Count; i++)
        {
            await reader.NextResultAsync(cancellationToken);
            var balances = new Dictionary<long, (LedgerAccountKind, BigInteger)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                balances[reader.GetInt64(0)] = (LedgerAccountKindText.Parse(reader.GetString(1)), reader.GetFieldValue<BigInteger>(2));
                ids[i] = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            }
            // The write statement wrote nothing in these two cases (its check saw these balances).
            var missing = journals[i].NetChanges().Keys.Where(id => !balances.ContainsKey(id)).ToArray();
            if (missing.Length > 0)
            {
                throw new ArgumentException($"No ledger account has id {string.Join(", ", missing)}.", nameof(journals));
            }
            var shortfalls = Shortfall.Of(journals[i], balances);
            if (shortfalls.Count > 0)
            {
                throw new InsufficientBalanceException(shortfalls[0]);
            }
        }
        return ids;
    }

    private static NpgsqlBatchCommand WriteCommand(JournalDraft journal, DateTimeOffset now)
    {
        var net = journal.NetChanges();
        var accounts = net.Keys.Order().ToArray();
        var write = new NpgsqlBatchCommand(WriteSql);
        write.Parameters.AddWithValue("kind", SnakeCaseNames.ToSnakeCase(journal.Kind.ToString()));
        write.Parameters.AddWithValue("reference", journal.Reference);
        write.Parameters.AddWithValue("external", journal.External);
        write.Parameters.AddWithValue("now", now);
        write.Parameters.Add(Bigints("accounts", accounts));
        write.Parameters.Add(Numerics("changes", accounts.Select(a => net[a].BaseUnits)));
        write.Parameters.Add(Bigints("posting_accounts", journal.Postings.Select(p => p.LedgerAccountId).ToArray()));
        write.Parameters.Add(Numerics("amounts", journal.Postings.Select(p => p.Amount.BaseUnits)));
        return write;
    }

    private static NpgsqlParameter Bigints(string name, long[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values };

    private static NpgsqlParameter Numerics(string name, IEnumerable<BigInteger> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = values.ToArray() };
}
