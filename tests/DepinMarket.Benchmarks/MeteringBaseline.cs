using System.Numerics;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// The raw-SQL baseline of the metering benchmark: the database work the metering worker does per rental, as plain
/// batched SQL. Per transaction: one claim of up to <c>batch</c> active rentals (<c>FOR UPDATE SKIP LOCKED</c>, the
/// worker's order, joined to the two ledger accounts a charge names), the charge computed by the same Domain
/// functions, then one round trip (an <see cref="NpgsqlBatch"/>, prepared) carrying one statement per rental: the
/// journal, its postings with their running balances, the relative balance updates, the rental_charges row and the
/// relative rental update. Nothing the worker adds on top: no entities, no change tracking, no lock statement of the
/// ledger accounts in id order, no balance check. Rentals whose term ends are not handled: none ends in the benchmark.
/// </summary>
internal sealed class MeteringBaseline(NpgsqlDataSource dataSource, int batch)
{
    private const string ClaimSql = """
        select r.id, r.quantity, r.unit_price, r.started_at, r.ends_at, r.metered_until, r.charged,
               r.client_reservation_bps, r.provider_reservation_bps, r.platform_bps, r.burn_share_bps, e.id, p.id
        from rentals r
        join ledger_accounts e on e.account_id = r.client_id and e.kind = 'escrow'
        join ledger_accounts p on p.account_id = r.provider_id and p.kind = 'earnings'
        where r.status = 'active' and r.term_seconds is not null and r.metered_until < @now
        order by r.metered_until limit @batch
        for update of r skip locked
        """;

    private const string ChargeSql = """
        with j as (
            insert into journals (kind, reference, external, created_at) values ('rental_charge', @reference, false, @now) returning id),
        u as (
            update ledger_accounts l set balance = l.balance + d.change
            from unnest(@accounts, @changes) as d(id, change) where l.id = d.id
            returning l.id, l.balance),
        p as (
            insert into postings (journal_id, ledger_account_id, amount, balance_after)
            select j.id, d.id, d.change, u.balance from j, unnest(@accounts, @changes) as d(id, change) join u on u.id = d.id),
        c as (
            insert into rental_charges (rental_id, journal_id, period_start, period_end, quantity, unit, usage, client_fee,
                platform_fee, provider_fee, burn, provider_earnings, created_at)
            select @rental, j.id, @from, @to, @quantity, 'gpu_second', @usage, @client_fee, @platform_fee, @provider_fee, @burn, @earnings, @now from j)
        update rentals set charged = charged + @usage, charged_client_fee = charged_client_fee + @client_fee, metered_until = @to
        where id = @rental
        """;

    /// <summary>Charges every claimable rental up to <paramref name="now"/>, batch after batch; returns how many were charged.</summary>
    public async Task<int> RunOnceAsync(DateTimeOffset now)
    {
        var charged = 0;
        while (true)
        {
            var (claimed, chargedNow) = await BatchAsync(now);
            charged += chargedNow;
            if (claimed < batch)
            {
                return charged;
            }
        }
    }

    private async Task<(int Claimed, int Charged)> BatchAsync(DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var claimed = new List<Claimed>(batch);
        await using (var claim = new NpgsqlCommand(ClaimSql, connection, transaction))
        {
            claim.Parameters.AddWithValue("now", now);
            claim.Parameters.AddWithValue("batch", batch);
            await using var reader = await claim.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                claimed.Add(new Claimed(reader.GetGuid(0), reader.GetInt64(1), new TokenAmount(reader.GetFieldValue<BigInteger>(2)),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5),
                    new TokenAmount(reader.GetFieldValue<BigInteger>(6)),
                    new FeeSchedule(reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)),
                    reader.GetInt64(11), reader.GetInt64(12)));
            }
        }
        await using var charges = new NpgsqlBatch(connection, transaction);
        foreach (var rental in claimed)
        {
            if (Charge(rental, now) is { } command)
            {
                charges.BatchCommands.Add(command);
            }
        }
        if (charges.BatchCommands.Count > 0)
        {
            await charges.PrepareAsync();
            await charges.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return (claimed.Count, charges.BatchCommands.Count);
    }

    /// <summary>The charge statement of one rental, by the Domain's arithmetic (<see cref="Rental.MeterTo"/>); null when nothing accrued.</summary>
    private static NpgsqlBatchCommand? Charge(Claimed rental, DateTimeOffset now)
    {
        var until = now < rental.EndsAt ? now : rental.EndsAt;
        if (until <= rental.MeteredUntil)
        {
            return null;
        }
        long Elapsed(DateTimeOffset t) => (long)Math.Floor((t - rental.StartedAt).TotalSeconds);
        var split = ChargeSplit.Between(rental.Fees, rental.Charged, RentalPricing.Compute(rental.UnitPrice, rental.Quantity, Elapsed(until)));
        if (split.IsZero)
        {
            return null;
        }
        var lines = new (long Account, BigInteger Change)[]
        {
            (rental.EscrowAccount, -split.FromEscrow.BaseUnits),
            (rental.EarningsAccount, split.ProviderEarnings.BaseUnits),
            (PlatformLedgerAccounts.Fees, split.ToFees.BaseUnits),
            (PlatformLedgerAccounts.Burn, split.Burn.BaseUnits),
        }.Where(l => !l.Change.IsZero).ToArray();
        var command = new NpgsqlBatchCommand(ChargeSql);
        command.Parameters.AddWithValue("reference", $"rental:{rental.Id}:charge");
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = lines.Select(l => l.Account).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = lines.Select(l => l.Change).ToArray() });
        command.Parameters.AddWithValue("rental", rental.Id);
        command.Parameters.AddWithValue("from", rental.MeteredUntil);
        command.Parameters.AddWithValue("to", until);
        command.Parameters.AddWithValue("quantity", rental.Quantity * (Elapsed(until) - Elapsed(rental.MeteredUntil)));
        Numeric(command, "usage", split.Usage);
        Numeric(command, "client_fee", split.ClientFee);
        Numeric(command, "platform_fee", split.PlatformFee);
        Numeric(command, "provider_fee", split.ProviderFee);
        Numeric(command, "burn", split.Burn);
        Numeric(command, "earnings", split.ProviderEarnings);
        return command;
    }

    private static void Numeric(NpgsqlBatchCommand command, string name, TokenAmount value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Numeric) { Value = value.BaseUnits });

    private sealed record Claimed(Guid Id, long Quantity, TokenAmount UnitPrice, DateTimeOffset StartedAt, DateTimeOffset EndsAt,
        DateTimeOffset MeteredUntil, TokenAmount Charged, FeeSchedule Fees, long EscrowAccount, long EarningsAccount);
}
