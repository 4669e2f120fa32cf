using DepinMarket.Api.Data;
using DepinMarket.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>The ids of one market account's five ledger accounts.</summary>
public sealed record MarketLedger(Guid AccountId, IReadOnlyDictionary<LedgerAccountKind, long> Ids)
{
    public long this[LedgerAccountKind kind] => Ids[kind];
}

/// <summary>
/// A market account's ledger accounts, created on first need (sign-up does not know the ledger): a plain read
/// while they exist, an idempotent insert the first time, so two first uses at once both find the same five.
/// </summary>
public static class MarketLedgerAccounts
{
    private static readonly string[] Kinds = LedgerAccountKinds.PerMarketAccount.Select(k => k.Text()).ToArray();

    public static Task<MarketLedger> EnsureAsync(MarketDbContext db, Guid accountId, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("MarketLedgerAccounts needs an open transaction.");
        return EnsureAsync((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction(), accountId, cancellationToken);
    }

    public static async Task<MarketLedger> EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid accountId, CancellationToken cancellationToken)
    {
        var ids = await ReadAsync(connection, transaction, accountId, cancellationToken);
        if (ids.Count < Kinds.Length)
        {
            await using var insert = new NpgsqlCommand(
                "insert into ledger_accounts (account_id, kind) select @account, k from unnest(@kinds) as k on conflict do nothing",
                connection, transaction);
            insert.Parameters.AddWithValue("account", accountId);
            insert.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Kinds });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            ids = await ReadAsync(connection, transaction, accountId, cancellationToken);
        }
        return new MarketLedger(accountId, ids);
    }

    /// <summary>
    /// The ledger accounts of many market accounts in one query (a background worker's batch); an account without
    /// ledger accounts yet is missing from the answer, so callers that need it must have called EnsureAsync before.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, MarketLedger>> ReadManyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select account_id, kind, id from ledger_accounts where account_id = any(@accounts)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("accounts", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = accountIds.ToArray() });
        var ids = new Dictionary<Guid, Dictionary<LedgerAccountKind, long>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var account = reader.GetGuid(0);
            if (!ids.TryGetValue(account, out var kinds))
            {
                ids[account] = kinds = [];
            }
            kinds[LedgerAccountKindText.Parse(reader.GetString(1))] = reader.GetInt64(2);
        }
        return ids.ToDictionary(p => p.Key, p => new MarketLedger(p.Key, p.Value));
    }

    private static async Task<Dictionary<LedgerAccountKind, long>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid accountId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select kind, id from ledger_accounts where account_id = @account", connection, transaction);
        command.Parameters.AddWithValue("account", accountId);
        var ids = new Dictionary<LedgerAccountKind, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids[LedgerAccountKindText.Parse(reader.GetString(0))] = reader.GetInt64(1);
        }
        return ids;
    }
}
