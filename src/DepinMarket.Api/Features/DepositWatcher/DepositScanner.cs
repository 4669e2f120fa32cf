using System.Numerics;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Webhooks;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Webhooks;
using Npgsql;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// One pass of the watcher (the caller holds the advisory lock): from the block after deposit_scan.last_block up to
/// the confirmed tip (<c>latest - (ConfirmationDepth - 1)</c>), in ranges of Deposits:MaxBlockRange, each range in
/// one transaction that stores its logs, credits them and advances last_block, so a crash repeats a whole range
/// (harmlessly: the log is unique, the journal's external reference too) and never skips one. Before crediting, the
/// block hash of each log's block is asked again; a pending log whose block was replaced, or that its block no
/// longer carries, is marked reorged and never credited. Then the unconfirmed blocks above the tip are read too, so
/// callers see their deposit as "confirming n/N"; those rows are only credited once a later pass reaches them.
/// </summary>
internal sealed class DepositScanner(
    ChainClient client, IContractHandler vault, ChainOptions chainOptions, DepositWatcherOptions options, ulong deployedAtBlock,
    NpgsqlDataSource dataSource, IDepositReferenceResolver resolver, TimeProvider clock, ILogger logger)
{
    /// <returns>The head and the last block now fully credited.</returns>
    public async Task<(BigInteger Head, BigInteger Scanned)> RunAsync(CancellationToken cancellationToken)
    {
        var head = await client.Eth.BlockNumberAsync(cancellationToken);
        var tip = head - (chainOptions.ConfirmationDepth - 1);
        var scanned = await LastScannedAsync(cancellationToken) ?? (BigInteger)deployedAtBlock - 1;
        while (scanned < tip)
        {
            var to = BigInteger.Min(tip, scanned + options.MaxBlockRange);
            await ScanRangeAsync(scanned + 1, to, head, credit: true, cancellationToken);
            scanned = to;
        }
        if (head > scanned)
        {
            await ScanRangeAsync(scanned + 1, head, head, credit: false, cancellationToken);
        }
        return (head, scanned);
    }

    private async Task ScanRangeAsync(BigInteger from, BigInteger to, BigInteger head, bool credit, CancellationToken cancellationToken)
    {
        var logs = await vault.GetEventsAsync<DepositedEventDTO>(BlockParameter.FromNumber(from), BlockParameter.FromNumber(to), cancellationToken);
        // The node's answer for each block now; a log from a block that is no longer the chain's is not credited.
        var hashes = new Dictionary<BigInteger, string>();
        foreach (var number in logs.Select(l => l.Log.BlockNumber!.Value).Distinct())
        {
            hashes[number] = (await client.Eth.GetBlockByNumberAsync(BlockParameter.FromNumber(number), cancellationToken))?.Hash ?? "";
        }
        var current = logs.Where(l => string.Equals(hashes[l.Log.BlockNumber!.Value], l.Log.BlockHash, StringComparison.OrdinalIgnoreCase)).ToList();

        var now = clock.Now();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var log in current)
        {
            await UpsertAsync(connection, transaction, log, now, cancellationToken);
        }
        // Pending rows in these blocks (or below them, for a log that moved) that the node no longer returns were removed.
        var reorged = await DropVanishedAsync(connection, transaction, to, current, credit ? null : from, cancellationToken);
        if (credit)
        {
            await CreditPendingAsync(connection, transaction, to, now, cancellationToken);
        }
        await SaveProgressAsync(connection, transaction, credit ? to : null, head, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (reorged > 0)
        {
            logger.LogWarning("Deposit watcher: {Count} deposit(s) up to block {Block} were removed by a reorganisation and will not be credited", reorged, to);
        }
    }

    private async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, EventLog<DepositedEventDTO> log, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The account is resolved on sight, so its owner sees the deposit while it confirms. A log seen before
        // (unconfirmed, or in a block since replaced) takes its current block; a credited one is left alone.
        var accountId = await resolver.ResolveAsync(log.Event.Account, cancellationToken);
        await using var command = new NpgsqlCommand("""
            insert into deposits (tx_hash, log_index, block_number, block_hash, reference, from_address, amount, status, account_id, seen_at)
            values (@tx, @index, @block, @hash, @reference, @from, @amount, 'pending', @account, @now)
            on conflict (tx_hash, log_index) do update
              set block_number = excluded.block_number, block_hash = excluded.block_hash, status = 'pending'
              where deposits.status in ('pending', 'reorged')
            """, connection, transaction);
        command.Parameters.AddWithValue("tx", log.Log.TransactionHash!.ToLowerInvariant());
        command.Parameters.AddWithValue("index", (int)log.Log.LogIndex!.Value);
        command.Parameters.AddWithValue("block", (long)log.Log.BlockNumber!.Value);
        command.Parameters.AddWithValue("hash", log.Log.BlockHash!.ToLowerInvariant());
        command.Parameters.AddWithValue("reference", log.Event.Account);
        command.Parameters.AddWithValue("from", log.Event.From.ToLowerInvariant());
        command.Parameters.AddWithValue("amount", log.Event.Amount);
        command.Parameters.Add(new NpgsqlParameter("account", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = accountId is { } a ? a : DBNull.Value });
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> DropVanishedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BigInteger to,
        List<EventLog<DepositedEventDTO>> current, BigInteger? from, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            update deposits set status = 'reorged'
            where status = 'pending' and block_number <= @to and (@from::bigint is null or block_number >= @from)
              and (tx_hash, log_index) not in (select * from unnest(@txs, @indexes))
            """, connection, transaction);
        command.Parameters.AddWithValue("to", (long)to);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = from is { } f ? (long)f : DBNull.Value });
        command.Parameters.AddWithValue("txs", current.Select(l => l.Log.TransactionHash!.ToLowerInvariant()).ToArray());
        command.Parameters.AddWithValue("indexes", current.Select(l => (int)l.Log.LogIndex!.Value).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task CreditPendingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BigInteger to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = new List<(long Id, string Tx, int Index, byte[] Reference, BigInteger Amount, Guid? AccountId, long Block, string From)>();
        await using (var select = new NpgsqlCommand(
            "select id, tx_hash, log_index, reference, amount, account_id, block_number, from_address from deposits where status = 'pending' and block_number <= @to order by block_number, log_index for update",
            connection, transaction))
        {
            select.Parameters.AddWithValue("to", (long)to);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<BigInteger>(4),
                    reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetInt64(6), reader.GetString(7)));
            }
        }
        var webhooks = new List<WebhookEvent>();
        foreach (var deposit in pending)
        {
            // Resolved again when it named no account on sight: the account may have been created since.
            var accountId = deposit.AccountId ?? await resolver.ResolveAsync(deposit.Reference, cancellationToken);
            var target = accountId is { } id
                ? (await MarketLedgerAccounts.EnsureAsync(connection, transaction, id, cancellationToken))[LedgerAccountKind.Available]
                : PlatformLedgerAccounts.Suspense;
            var reference = $"{deposit.Tx}:{deposit.Index}";
            var journal = JournalDraft.Transfer(JournalKind.Deposit, reference, PlatformLedgerAccounts.Chain, target, new TokenAmount(deposit.Amount), external: true);
            var journalId = await LedgerPoster.PostAsync(connection, transaction, journal, now, cancellationToken)
                ?? await PostedJournalAsync(connection, transaction, reference, cancellationToken);
            await using var update = new NpgsqlCommand(
                "update deposits set status = @status, account_id = @account, journal_id = @journal, credited_at = @now where id = @id",
                connection, transaction);
            update.Parameters.AddWithValue("status", accountId is null ? "held" : "credited");
            update.Parameters.Add(new NpgsqlParameter("account", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = accountId is { } a ? a : DBNull.Value });
            update.Parameters.AddWithValue("journal", journalId);
            update.Parameters.AddWithValue("now", now);
            update.Parameters.AddWithValue("id", deposit.Id);
            await update.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Deposit {Reference} of {Amount} {Outcome}", reference, new TokenAmount(deposit.Amount),
                accountId is { } credited ? $"credited to account {credited}" : "held in suspense: its reference names no account");
            if (accountId is { } owner)
            {
                webhooks.Add(new WebhookEvent(owner, WebhookEventTypes.DepositCredited,
                    new DepositCreditedData(deposit.Tx, deposit.Index, deposit.Block, deposit.From, new TokenAmount(deposit.Amount), journalId)));
            }
        }
        await WebhookOutbox.EnqueueAsync(connection, transaction, webhooks, now, cancellationToken);
    }

    // The ledger's second line of defence fired: the journal exists although the row was pending. Link to it.
    private static async Task<long> PostedJournalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string reference, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select id from journals where kind = 'deposit' and external and reference = @reference", connection, transaction);
        command.Parameters.AddWithValue("reference", reference);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<BigInteger?> LastScannedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select last_block from deposit_scan where id = 1");
        return await command.ExecuteScalarAsync(cancellationToken) is long block ? block : null;
    }

    private async Task SaveProgressAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BigInteger? scanned, BigInteger head, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into deposit_scan (id, last_block, head_block, updated_at) values (1, coalesce(@scanned, @start), @head, @now)
            on conflict (id) do update set last_block = coalesce(@scanned, deposit_scan.last_block), head_block = @head, updated_at = @now
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("scanned", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = scanned is { } s ? (long)s : DBNull.Value });
        command.Parameters.AddWithValue("start", (long)deployedAtBlock - 1);
        command.Parameters.AddWithValue("head", (long)head);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
