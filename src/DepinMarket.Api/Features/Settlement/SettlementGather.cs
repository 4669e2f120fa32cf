using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>What one settlement run gathered.</summary>
public sealed record GatherResult(int Batches, int Payouts, TokenAmount Total, bool BurnOpened);

/// <summary>
/// A settlement run's first step, in one transaction (the outbox): what is payable becomes settling and is written as
/// batches. Payable are providers' earnings at or above the minimum payout, to verified wallets only (an unverified
/// wallet's earnings stay where they are; GET /v1/payouts says why), and every requested withdrawal (already in
/// settling, now batched and no longer cancellable). The burn account's balance becomes one burn batch, unless one is
/// still open. Nothing is signed here: the worker takes the batches from the table.
/// </summary>
internal sealed class SettlementGather(IServiceScopeFactory scopes, SettlementLease lease, IOptions<SettlementOptions> options, TimeProvider clock)
{
    private const string EarningsSql = """
        select la.account_id, la.balance, a.wallet_address
        from ledger_accounts la join accounts a on a.id = la.account_id
        where la.kind = 'earnings' and la.balance >= @minimum and a.wallet_verified
        order by la.account_id
        """;

    private static readonly string BurnSql = $"""
        select (select balance from ledger_accounts where id = {PlatformLedgerAccounts.Burn}),
               exists (select 1 from settlement_batches where kind = 'burn' and status in ('pending', 'stored', 'sent'))
        """;

    public async Task<GatherResult> GatherAsync(HeldLease held, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var work = await FencedTransaction.BeginAsync(scopes, lease, held, cancellationToken);
        var (db, connection, npgsqlTransaction) = (work.Db, work.Connection, work.Transaction);
        // A run posts one journal per earner with the same statement: without this PostgreSQL plans it anew every time
        // (docs/PERFORMANCE.md, "Settlement of 10,000 payouts"; the metering worker does the same).
        await db.Database.ExecuteSqlRawAsync("set local plan_cache_mode = force_generic_plan", cancellationToken);

        var payables = new List<Payable>();
        await using (var command = new NpgsqlCommand(EarningsSql, connection, npgsqlTransaction))
        {
            command.Parameters.AddWithValue("minimum", o.MinimumPayout.BaseUnits);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                payables.Add(new Payable(reader.GetGuid(0), reader.GetString(2), new TokenAmount(reader.GetFieldValue<BigInteger>(1)), PayoutSource.Earnings));
            }
        }
        var withdrawals = await db.Withdrawals.FromSql($"select * from withdrawals where status = 'requested' order by requested_at, id for update")
            .ToListAsync(cancellationToken);
        payables.AddRange(withdrawals.Select(w => new Payable(w.AccountId, w.WalletAddress, w.Amount, PayoutSource.Withdrawal, w.Id)));

        var plans = PayoutPlan.Cut(payables, o.MaxRecipientsPerTransaction);
        var earners = payables.Where(p => p.Source == PayoutSource.Earnings).Select(p => p.AccountId).Distinct().ToArray();
        var ledgers = await MarketLedgerAccounts.ReadManyAsync(connection, npgsqlTransaction, earners, cancellationToken);
        var payouts = new List<(Payout Payout, JournalDraft? Journal)>();
        foreach (var plan in plans)
        {
            var batch = SettlementBatch.Open(Guid.CreateVersion7(now), SettlementBatchKind.Payout, plan.Recipients.Count, plan.Total, now);
            db.Add(batch);
            db.AddRange(plan.Recipients.Select((r, i) => new SettlementRecipient { BatchId = batch.Id, Position = i, Wallet = r.Wallet, Amount = r.Amount }));
            foreach (var payable in plan.Payables)
            {
                var id = Guid.CreateVersion7(now);
                var journal = payable.Source == PayoutSource.Earnings
                    ? JournalDraft.Transfer(JournalKind.PayoutSettling, $"payout:{id}", ledgers[payable.AccountId][LedgerAccountKind.Earnings],
                        ledgers[payable.AccountId][LedgerAccountKind.Settling], payable.Amount)
                    : null;
                payouts.Add((Payout.For(id, batch.Id, payable, null, now), journal));
            }
        }
        var journals = payouts.Where(p => p.Journal is not null).ToArray();
        var journalIds = await LedgerPoster.PostManyAsync(connection, npgsqlTransaction, journals.Select(p => p.Journal!).ToArray(), now, cancellationToken);
        var idOf = journals.Select((p, i) => (p.Payout.Id, journalIds[i])).ToDictionary(x => x.Id, x => x.Item2);
        db.AddRange(payouts.Select(p => p.Journal is null ? p.Payout : p.Payout.WithJournal(idOf[p.Payout.Id]!.Value)));
        foreach (var withdrawal in withdrawals)
        {
            withdrawal.Batch();
        }

        var burnOpened = await OpenBurnAsync(db, connection, npgsqlTransaction, o, now, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return new GatherResult(plans.Count, payouts.Count, TokenAmount.Sum(plans.Select(p => p.Total)), burnOpened);
    }

    private static async Task<bool> OpenBurnAsync(MarketDbContext db, NpgsqlConnection connection, NpgsqlTransaction transaction, SettlementOptions o,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(BurnSql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var balance = new TokenAmount(reader.GetFieldValue<BigInteger>(0));
        // One burn in flight at a time: the next one burns what came in meanwhile, never the same tokens twice.
        if (reader.GetBoolean(1) || balance < o.MinimumBurn || balance.IsZero)
        {
            return false;
        }
        await reader.DisposeAsync();
        db.Add(SettlementBatch.Open(Guid.CreateVersion7(now), SettlementBatchKind.Burn, 1, balance, now));
        return true;
    }
}
