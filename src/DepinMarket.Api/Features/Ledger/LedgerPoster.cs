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
/// watcher's progress). Two round trips: the touched ledger accounts are locked in id order
/// (<c>FOR NO KEY UPDATE</c>: writers queue in one order and never deadlock, and the postings' foreign keys, which
/// take <c>FOR KEY SHARE</c>, are not blocked), then one statement inserts the journal and its postings and applies
/// relative updates (<c>balance = balance + change</c>). A journal that would overdraw an account is refused with
/// <see cref="InsufficientBalanceException"/> before anything is written; the CHECK on balances is the backstop.
/// </summary>
public static class LedgerPoster
{
    private const string LockSql =
        "select id, kind, balance from ledger_accounts where id = any(@ids) order by id for no key update";

    // The update and the postings join the inserted journal, so a journal already posted (an external reference
    // seen before) changes nothing and returns no row.
    private const string WriteSql = """
        with j as (
            insert into journals (kind, reference, external, created_at) values (@kind, @reference, @external, @now)
            on conflict (kind, reference) where external do nothing
            returning id),
        u as (
            update ledger_accounts l set balance = l.balance + d.change
            from unnest(@accounts, @changes) as d(id, change), j
            where l.id = d.id),
        p as (
            insert into postings (journal_id, ledger_account_id, amount, balance_after)
            select j.id, x.account, x.amount, x.after from j, unnest(@posting_accounts, @amounts, @afters) with ordinality as x(account, amount, after, n)
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
        var balances = await LockAsync(connection, transaction, accounts, cancellationToken);
        var shortfalls = Shortfall.Of(journal, balances);
        if (shortfalls.Count > 0)
        {
            throw new InsufficientBalanceException(shortfalls[0]);
        }

        // Each posting records its account's balance after the journal (a journal posts to an account once).
        var afters = journal.Postings.Select(p => balances[p.LedgerAccountId].Balance + p.Amount.BaseUnits);

        await using var write = new NpgsqlCommand(WriteSql, connection, transaction);
        write.Parameters.AddWithValue("kind", SnakeCaseNames.ToSnakeCase(journal.Kind.ToString()));
        write.Parameters.AddWithValue("reference", journal.Reference);
        write.Parameters.AddWithValue("external", journal.External);
        write.Parameters.AddWithValue("now", now);
        write.Parameters.Add(new NpgsqlParameter("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = accounts });
        write.Parameters.Add(Numerics("changes", accounts.Select(a => net[a].BaseUnits)));
        write.Parameters.Add(new NpgsqlParameter("posting_accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = journal.Postings.Select(p => p.LedgerAccountId).ToArray() });
        write.Parameters.Add(Numerics("amounts", journal.Postings.Select(p => p.Amount.BaseUnits)));
        write.Parameters.Add(Numerics("afters", afters));
        return await write.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    private static async Task<Dictionary<long, (LedgerAccountKind Kind, BigInteger Balance)>> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LockSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
        var balances = new Dictionary<long, (LedgerAccountKind, BigInteger)>(ids.Length);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                balances[reader.GetInt64(0)] = (LedgerAccountKindText.Parse(reader.GetString(1)), reader.GetFieldValue<BigInteger>(2));
            }
        }
        var missing = ids.Where(id => !balances.ContainsKey(id)).ToArray();
        return missing.Length == 0
            ? balances
            : throw new ArgumentException($"No ledger account has id {string.Join(", ", missing)}.", nameof(ids));
    }

    private static NpgsqlParameter Numerics(string name, IEnumerable<BigInteger> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = values.ToArray() };
}
