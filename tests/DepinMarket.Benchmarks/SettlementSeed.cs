using System.Numerics;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Chain.Util;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// The settlement benchmark's ledger, written into a migrated, empty database: <c>count</c> providers with verified
/// wallets (fresh random addresses, so every payout writes a new balance slot: the dearest case) and one funding
/// client. The money goes through the API's own <see cref="LedgerPoster"/>: one deposit (chain to the client's
/// available, the total) and one transfer journal per provider (the client's available to the provider's earnings),
/// so the ledger check is clean and the earnings are exactly what the settlement run finds payable. The caller mints
/// the same total to the vault, so the vault holds what the ledger says.
/// </summary>
internal static class SettlementSeed
{
    public sealed record Seeded(Guid[] Providers, EthereumAddress[] Wallets, BigInteger[] Amounts)
    {
        public BigInteger Total => Amounts.Aggregate(BigInteger.Zero, (sum, a) => sum + a);
    }

    public static async Task<Seeded> SeedAsync(NpgsqlDataSource dataSource, int count, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var existing = new NpgsqlCommand(
            "select (select count(*) from accounts) + (select count(*) from journals) + (select count(*) from settlement_batches)", connection))
        {
            if ((long)(await existing.ExecuteScalarAsync())! > 0)
            {
                throw new InvalidOperationException("settlement needs an empty database (a fresh one): it would pay whatever earnings it finds, and its figures would not be its own.");
            }
        }
        var providers = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7(now)).ToArray();
        var wallets = GasChain.FreshAddresses(count);
        var amounts = GasChain.Amounts(count);
        var funder = Guid.CreateVersion7(now);
        var seeded = new Seeded(providers, wallets, amounts);

        await using var transaction = await connection.BeginTransactionAsync();
        await InsertAccountsAsync(connection, transaction, providers, wallets, funder, now);
        var ledgers = await MarketLedgerAccounts.ReadManyAsync(connection, transaction, [.. providers, funder], CancellationToken.None);
        var available = ledgers[funder][LedgerAccountKind.Available];
        var journals = new List<JournalDraft>(count + 1)
        {
            JournalDraft.Transfer(JournalKind.Deposit, $"bench-deposit:{funder}", PlatformLedgerAccounts.Chain, available, new TokenAmount(seeded.Total), external: true),
        };
        journals.AddRange(providers.Select((p, i) =>
            JournalDraft.Transfer(JournalKind.Transfer, $"bench-earnings:{p}", available, ledgers[p][LedgerAccountKind.Earnings], new TokenAmount(amounts[i]))));
        await LedgerPoster.PostManyAsync(connection, transaction, journals, now, CancellationToken.None);
        await transaction.CommitAsync();
        await using var analyze = new NpgsqlCommand("analyze", connection);
        await analyze.ExecuteNonQueryAsync();
        return seeded;
    }

    private static async Task InsertAccountsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] providers, EthereumAddress[] wallets,
        Guid funder, DateTimeOffset now)
    {
        // The funder's wallet is unverified: it is never paid, it only pays the providers' earnings in.
        await using var command = new NpgsqlCommand("""
            insert into accounts (id, display_name, is_provider, is_client, wallet_address, wallet_verified, created_at)
            select a.id, 'bench provider', true, false, a.wallet, true, @now from unnest(@ids, @wallets) as a(id, wallet)
            union all
            select @funder, 'bench funder', false, true, '0x' || lpad('f', 40, '0'), false, @now;
            insert into ledger_accounts (account_id, kind) select a, k from unnest(@ids || @funder) as a cross join unnest(@kinds) as k;
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = providers });
        command.Parameters.Add(new NpgsqlParameter("wallets", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = wallets.Select(w => w.ToString()).ToArray() });
        command.Parameters.AddWithValue("funder", funder);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = LedgerAccountKinds.PerMarketAccount.Select(k => k.Text()).ToArray(),
        });
        await command.ExecuteNonQueryAsync();
    }
}
