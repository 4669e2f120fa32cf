using System.Numerics;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Random money movements from parallel connections through the posting service: whatever interleaving happens, the
/// ledger stays whole. Seeded, so a failure can be replayed; the seed is in the assertion messages.
/// </summary>
public sealed class LedgerPropertyTests(MarketApi api) : IClassFixture<MarketApi>
{
    private const int Accounts = 20;
    private const int Operations = 2000;
    private const int Connections = 8;

    [Fact]
    public Task Two_thousand_random_transfers_from_eight_connections_leave_the_ledger_whole() => RunAsync(batch: 1);

    /// <summary>
    /// PostManyAsync locks the union of a batch's accounts at once: overlapping batches must neither deadlock nor lose
    /// updates, and a later journal must see the balances an earlier one left. Pairs, because a batch is refused whole
    /// when one journal is short and about a third of these random journals are.
    /// </summary>
    [Fact]
    public Task Two_thousand_random_transfers_in_pairs_from_eight_connections_leave_the_ledger_whole() => RunAsync(batch: 2);

    private async Task RunAsync(int batch)
    {
        var seed = Environment.TickCount;
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        var ledgers = new List<MarketLedger>();
        for (var i = 0; i < Accounts; i++)
        {
            var account = await api.SignUpAsync();
            await api.FundAsync(account.Id, "100");
            await using var connection = await dataSource.OpenConnectionAsync();
            ledgers.Add(await MarketLedgerAccounts.EnsureAsync(connection, null, account.Id, CancellationToken.None));
        }
        var ledgerAccounts = ledgers.SelectMany(l => l.Ids.Values).Concat([PlatformLedgerAccounts.Fees, PlatformLedgerAccounts.Burn, PlatformLedgerAccounts.Suspense]).ToArray();

        var posted = 0;
        var refused = 0;
        var workers = Enumerable.Range(0, Connections).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed + w);
            for (var n = 0; n < Operations / Connections; n += batch)
            {
                var journals = Enumerable.Range(n, batch).Select(k => RandomJournal(random, ledgers, ledgerAccounts, $"property:{seed}:{w}:{k}")).ToArray();
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                try
                {
                    if (batch == 1)
                    {
                        await LedgerPoster.PostAsync(connection, transaction, journals[0], DateTimeOffset.UtcNow, CancellationToken.None);
                    }
                    else
                    {
                        await LedgerPoster.PostManyAsync(connection, transaction, journals, DateTimeOffset.UtcNow, CancellationToken.None);
                    }
                    await transaction.CommitAsync();
                    Interlocked.Add(ref posted, batch);
                }
                catch (InsufficientBalanceException)
                {
                    // The transaction is rolled back on dispose: the whole batch counts as refused.
                    Interlocked.Add(ref refused, batch);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(Operations, posted + refused);
        // Not a vacuous run: hundreds of journals really moved money. How many overdraw depends on the seed (about
        // 38 % of single journals; a pair is refused whole), so the bar sits well below what any seed gives.
        Assert.True(posted > Operations / (4 * batch), $"seed {seed}: only {posted} of {Operations} journals were posted");
        Assert.True(refused > 0, $"seed {seed}: no journal was refused, so overdrafts were not exercised");
        await api.AssertLedgerCleanAsync();
        await using var totals = dataSource.CreateCommand(
            "select count(*) filter (where balance < 0 and kind <> 'chain'), sum(balance), (select count(*) from journals where reference like @prefix) from ledger_accounts");
        totals.Parameters.AddWithValue("prefix", $"property:{seed}:%");
        await using var reader = await totals.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(0, reader.GetInt64(0));
        Assert.Equal(BigInteger.Zero, reader.GetFieldValue<BigInteger>(1));
        Assert.Equal(posted, reader.GetInt64(2));
    }

    /// <summary>A transfer between any two ledger accounts, a withdrawal-like move to settling, or a deposit from the chain.</summary>
    private static JournalDraft RandomJournal(Random random, List<MarketLedger> ledgers, long[] ledgerAccounts, string reference)
    {
        var amount = new TokenAmount(new BigInteger(random.Next(1, 40_000)) * BigInteger.Pow(10, 15));
        switch (random.Next(10))
        {
            case 0:
                return JournalDraft.Transfer(JournalKind.Deposit, reference, PlatformLedgerAccounts.Chain,
                    ledgers[random.Next(ledgers.Count)][LedgerAccountKind.Available], amount, external: true);
            case 1 or 2:
                var ledger = ledgers[random.Next(ledgers.Count)];
                return JournalDraft.Transfer(JournalKind.Withdrawal, reference, ledger[LedgerAccountKind.Available], ledger[LedgerAccountKind.Settling], amount);
            case 3:
                // Three postings: a payment split between a receiver and the fees account.
                var (from, to) = TwoOf(random, ledgerAccounts.Where(id => id != PlatformLedgerAccounts.Fees).ToArray());
                var fee = new TokenAmount(amount.BaseUnits / 10);
                return JournalDraft.Create(JournalKind.Transfer, reference, false,
                [
                    new PostingDraft(from, TokenDelta.Debit(amount)),
                    new PostingDraft(to, TokenDelta.Credit(amount - fee)),
                    new PostingDraft(PlatformLedgerAccounts.Fees, TokenDelta.Credit(fee)),
                ]);
            default:
                var (a, b) = TwoOf(random, ledgerAccounts);
                return JournalDraft.Transfer(JournalKind.Transfer, reference, a, b, amount);
        }
    }

    private static (long, long) TwoOf(Random random, long[] ids)
    {
        var first = random.Next(ids.Length);
        var second = (first + random.Next(1, ids.Length)) % ids.Length;
        return (ids[first], ids[second]);
    }
}
