using System.Numerics;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// The raw-SQL baselines of the metering benchmark. "raw" is the database work the metering worker does per rental,
/// as plain batched SQL: per transaction one claim of up to <c>batch</c> active rentals (<c>FOR UPDATE SKIP LOCKED</c>,
/// the worker's order, joined to the two ledger accounts a charge names), the charge computed by the same Domain
/// functions, then one round trip (an <see cref="NpgsqlBatch"/>, prepared) carrying one statement per rental: the
/// journal, its postings with their running balances, the relative balance updates, the rental_charges row and the
/// relative rental update. Nothing the worker adds on top: no entities, no change tracking, no lock statement of the
/// ledger accounts in id order, no balance check; generic plans forced, like the worker. "raw-set" (<c>setBased</c>) does the same batch as one set-based
/// statement (see <see cref="SetSql"/>): what a redesign of the writes could reach, not the worker's design. Rentals
/// whose term ends are not handled: none ends in the benchmark.
/// </summary>
internal sealed class MeteringBaseline(NpgsqlDataSource dataSource, int batch, bool setBased)
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

    // The set-based variant: the batch's journals in one insert, all their postings in another (the running balances
    // from the balances before the statement plus a window sum, in journal order), one update per ledger account
    // touched, one insert of all charges, one update of all rentals. Balances are moved by the same total, but a hot
    // account (fees, burn) is updated once per batch instead of once per charge: a different design, not the worker's.
    private const string SetSql = """
        with j as (
            insert into journals (kind, reference, external, created_at)
            select 'rental_charge', r.reference, false, @now from unnest(@references) with ordinality as r(reference, n) order by r.n
            returning id, reference),
        x as (
            select j.id as journal_id, x.account, x.change, x.line
            from unnest(@line_references, @line_accounts, @line_changes) with ordinality as x(reference, account, change, line)
            join j on j.reference = x.reference),
        p as (
            insert into postings (journal_id, ledger_account_id, amount, balance_after)
            select x.journal_id, x.account, x.change, l.balance + sum(x.change) over (partition by x.account order by x.line)
            from x join ledger_accounts l on l.id = x.account order by x.line),
        u as (
            update ledger_accounts l set balance = l.balance + s.total
            from (select account, sum(change) as total from x group by account) s where l.id = s.account),
        c as (
            insert into rental_charges (rental_id, journal_id, period_start, period_end, quantity, unit, usage, client_fee,
                platform_fee, provider_fee, burn, provider_earnings, created_at)
            select c.rental, j.id, c.period_start, c.period_end, c.quantity, 'gpu_second', c.usage, c.client_fee, c.platform_fee,
                c.provider_fee, c.burn, c.earnings, @now
            from unnest(@references, @rentals, @froms, @tos, @quantities, @usages, @client_fees, @platform_fees, @provider_fees, @burns, @earnings)
                as c(reference, rental, period_start, period_end, quantity, usage, client_fee, platform_fee, provider_fee, burn, earnings)
            join j on j.reference = c.reference)
        update rentals r set charged = r.charged + c.usage, charged_client_fee = r.charged_client_fee + c.client_fee, metered_until = c.period_end
        from unnest(@rentals, @usages, @client_fees, @tos) as c(id, usage, client_fee, period_end)
        where r.id = c.id
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
        // As the worker does (RentalMetering.BatchAsync): cached generic plans, no planning per statement.
        await using (var generic = new NpgsqlCommand("set local plan_cache_mode = force_generic_plan", connection, transaction))
        {
            await generic.ExecuteNonQueryAsync();
        }
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
        var due = claimed.Select(r => Due.Of(r, now)).OfType<Due>().ToArray();
        if (due.Length > 0)
        {
            if (setBased)
            {
                await using var command = SetCommand(due, now);
                command.Connection = connection;
                command.Transaction = transaction;
                await command.PrepareAsync();
                await command.ExecuteNonQueryAsync();
            }
            else
            {
                await using var charges = new NpgsqlBatch(connection, transaction);
                foreach (var charge in due)
                {
                    charges.BatchCommands.Add(ChargeCommand(charge, now));
                }
                await charges.PrepareAsync();
                await charges.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
        return (claimed.Count, due.Length);
    }

    /// <summary>The charge statement of one rental.</summary>
    private static NpgsqlBatchCommand ChargeCommand(Due due, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand(ChargeSql);
        command.Parameters.AddWithValue("reference", due.Reference);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(Array("accounts", NpgsqlDbType.Bigint, due.Lines.Select(l => l.Account)));
        command.Parameters.Add(Array("changes", NpgsqlDbType.Numeric, due.Lines.Select(l => l.Change)));
        command.Parameters.AddWithValue("rental", due.Rental.Id);
        command.Parameters.AddWithValue("from", due.Rental.MeteredUntil);
        command.Parameters.AddWithValue("to", due.Until);
        command.Parameters.AddWithValue("quantity", due.Quantity);
        Numeric(command, "usage", due.Split.Usage);
        Numeric(command, "client_fee", due.Split.ClientFee);
        Numeric(command, "platform_fee", due.Split.PlatformFee);
        Numeric(command, "provider_fee", due.Split.ProviderFee);
        Numeric(command, "burn", due.Split.Burn);
        Numeric(command, "earnings", due.Split.ProviderEarnings);
        return command;
    }

    /// <summary>The whole batch's charges as one statement, every row of a kind written by one insert or update.</summary>
    private static NpgsqlCommand SetCommand(Due[] due, DateTimeOffset now)
    {
        var command = new NpgsqlCommand(SetSql);
        var p = command.Parameters;
        p.AddWithValue("now", now);
        p.Add(Array("references", NpgsqlDbType.Text, due.Select(d => d.Reference)));
        var lines = due.SelectMany(d => d.Lines.Select(l => (d.Reference, l.Account, l.Change))).ToArray();
        p.Add(Array("line_references", NpgsqlDbType.Text, lines.Select(l => l.Reference)));
        p.Add(Array("line_accounts", NpgsqlDbType.Bigint, lines.Select(l => l.Account)));
        p.Add(Array("line_changes", NpgsqlDbType.Numeric, lines.Select(l => l.Change)));
        p.Add(Array("rentals", NpgsqlDbType.Uuid, due.Select(d => d.Rental.Id)));
        p.Add(Array("froms", NpgsqlDbType.TimestampTz, due.Select(d => d.Rental.MeteredUntil)));
        p.Add(Array("tos", NpgsqlDbType.TimestampTz, due.Select(d => d.Until)));
        p.Add(Array("quantities", NpgsqlDbType.Bigint, due.Select(d => d.Quantity)));
        p.Add(Array("usages", NpgsqlDbType.Numeric, due.Select(d => d.Split.Usage.BaseUnits)));
        p.Add(Array("client_fees", NpgsqlDbType.Numeric, due.Select(d => d.Split.ClientFee.BaseUnits)));
        p.Add(Array("platform_fees", NpgsqlDbType.Numeric, due.Select(d => d.Split.PlatformFee.BaseUnits)));
        p.Add(Array("provider_fees", NpgsqlDbType.Numeric, due.Select(d => d.Split.ProviderFee.BaseUnits)));
        p.Add(Array("burns", NpgsqlDbType.Numeric, due.Select(d => d.Split.Burn.BaseUnits)));
        p.Add(Array("earnings", NpgsqlDbType.Numeric, due.Select(d => d.Split.ProviderEarnings.BaseUnits)));
        return command;
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };

    private static void Numeric(NpgsqlBatchCommand command, string name, TokenAmount value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Numeric) { Value = value.BaseUnits });

    /// <summary>One rental's charge up to now, by the Domain's arithmetic (<see cref="Rental.MeterTo"/>), with its journal's lines.</summary>
    private sealed record Due(Claimed Rental, DateTimeOffset Until, long Quantity, ChargeSplit Split, (long Account, BigInteger Change)[] Lines)
    {
        public string Reference => $"rental:{Rental.Id}:charge";

        /// <summary>Null when nothing accrued.</summary>
        public static Due? Of(Claimed rental, DateTimeOffset now)
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
            return new Due(rental, until, rental.Quantity * (Elapsed(until) - Elapsed(rental.MeteredUntil)), split, lines);
        }
    }

    private sealed record Claimed(Guid Id, long Quantity, TokenAmount UnitPrice, DateTimeOffset StartedAt, DateTimeOffset EndsAt,
        DateTimeOffset MeteredUntil, TokenAmount Charged, FeeSchedule Fees, long EscrowAccount, long EarningsAccount);
}
