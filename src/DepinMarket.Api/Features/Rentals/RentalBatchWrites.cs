using DepinMarket.Api.Data;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// The two writes <see cref="RentalWork"/> makes once per rental, as one set-based statement per transaction instead
/// of one EF statement per row: the metering worker writes hundreds per transaction, and EF's statements (an insert
/// with RETURNING per charge, an update checked by xmin per rental) took about a quarter of its CPU time, more than
/// half of what the process itself spent (docs/PERFORMANCE.md, "Metering"). What is written is what SaveChanges would write: every column of each charge,
/// and the changed columns of each rental under the same xmin check, the entities left tracked and up to date (the
/// charges' ids, the rentals' xmin) as after SaveChanges.
/// </summary>
internal static class RentalBatchWrites
{
    /// <summary>Every column of rental_charges but its identity, in the order the insert names them (a test compares it with the EF model).</summary>
    internal static readonly string[] ChargeColumns =
    [
        "rental_id", "journal_id", "period_start", "period_end", "quantity", "unit", "request_id", "input_tokens", "output_tokens",
        "usage", "client_fee", "platform_fee", "provider_fee", "burn", "provider_earnings", "created_at",
    ];

    /// <summary>
    /// The properties metering, warning and ending a rental change. A rental with a change to any other property (an
    /// extension, an acceptance) is left to SaveChanges, so a property added later can never be silently dropped.
    /// </summary>
    internal static readonly string[] MeteredProperties =
    [
        nameof(Rental.Status), nameof(Rental.EndReason), nameof(Rental.Charged), nameof(Rental.ChargedClientFee), nameof(Rental.Refunded),
        nameof(Rental.MeteredUntil), nameof(Rental.EndedAt), nameof(Rental.WarningsSent), nameof(Rental.UnbilledSeconds),
    ];

    private static readonly string InsertChargesSql = $"""
        insert into rental_charges ({string.Join(", ", ChargeColumns)})
        select * from unnest(@rental_ids, @journal_ids, @period_starts, @period_ends, @quantities, @units, @request_ids, @input_tokens,
            @output_tokens, @usages, @client_fees, @platform_fees, @provider_fees, @burns, @provider_earnings, @created_ats)
        returning journal_id, id
        """;

    internal const string UpdateRentalsSql = """
        update rentals r set status = u.status, end_reason = u.end_reason, charged = u.charged, charged_client_fee = u.charged_client_fee,
            refunded = u.refunded, metered_until = u.metered_until, ended_at = u.ended_at, warnings_sent = u.warnings_sent,
            unbilled_seconds = u.unbilled_seconds
        from unnest(@ids, @versions, @statuses, @end_reasons, @charged, @charged_client_fees, @refunded, @metered_until, @ended_at, @warnings_sent, @unbilled_seconds)
            as u(id, version, status, end_reason, charged, charged_client_fee, refunded, metered_until, ended_at, warnings_sent, unbilled_seconds)
        where r.id = u.id and r.xmin = u.version
        returning r.id, r.xmin
        """;

    /// <summary>Inserts <paramref name="charges"/> (each names its own journal) and tracks them with their new ids.</summary>
    public static async Task InsertChargesAsync(MarketDbContext db, NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<RentalCharge> charges, CancellationToken cancellationToken)
    {
        if (charges.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(InsertChargesSql, connection, transaction);
        var p = command.Parameters;
        p.Add(Array("rental_ids", NpgsqlDbType.Uuid, charges.Select(c => c.RentalId)));
        p.Add(Array("journal_ids", NpgsqlDbType.Bigint, charges.Select(c => c.JournalId)));
        p.Add(Array("period_starts", NpgsqlDbType.TimestampTz, charges.Select(c => c.PeriodStart)));
        p.Add(Array("period_ends", NpgsqlDbType.TimestampTz, charges.Select(c => c.PeriodEnd)));
        p.Add(Array("quantities", NpgsqlDbType.Bigint, charges.Select(c => c.Quantity)));
        p.Add(Array("units", NpgsqlDbType.Text, charges.Select(c => SnakeCaseNames.ToSnakeCase(c.Unit.ToString()))));
        p.Add(Array("request_ids", NpgsqlDbType.Text, charges.Select(c => c.RequestId)));
        p.Add(Array("input_tokens", NpgsqlDbType.Bigint, charges.Select(c => c.InputTokens)));
        p.Add(Array("output_tokens", NpgsqlDbType.Bigint, charges.Select(c => c.OutputTokens)));
        p.Add(Amounts("usages", charges.Select(c => c.Usage)));
        p.Add(Amounts("client_fees", charges.Select(c => c.ClientFee)));
        p.Add(Amounts("platform_fees", charges.Select(c => c.PlatformFee)));
        p.Add(Amounts("provider_fees", charges.Select(c => c.ProviderFee)));
        p.Add(Amounts("burns", charges.Select(c => c.Burn)));
        p.Add(Amounts("provider_earnings", charges.Select(c => c.ProviderEarnings)));
        p.Add(Array("created_ats", NpgsqlDbType.TimestampTz, charges.Select(c => c.CreatedAt)));

        // A charge's journal is its own (one journal per charge), so the journal id says which row got which id.
        var ids = new Dictionary<long, long>(charges.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0), reader.GetInt64(1));
            }
        }
        foreach (var charge in charges)
        {
            var entry = db.Entry(charge);
            entry.Property(c => c.Id).CurrentValue = ids[charge.JournalId];
            entry.State = EntityState.Unchanged;
        }
    }

    /// <summary>
    /// Writes the tracked rentals whose changes are all metering changes (<see cref="MeteredProperties"/>), each only
    /// if its xmin is still the one read, and marks them saved; the others stay for SaveChanges.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">A rental changed since it was read (its row was not locked).</exception>
    public static async Task UpdateMeteredRentalsAsync(MarketDbContext db, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var entries = db.ChangeTracker.Entries<Rental>()
            .Where(e => e.State == EntityState.Modified && e.Properties.Where(p => p.IsModified).All(p => MeteredProperties.Contains(p.Metadata.Name)))
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }
        var rentals = entries.Select(e => e.Entity).ToArray();
        await using var command = new NpgsqlCommand(UpdateRentalsSql, connection, transaction);
        var p = command.Parameters;
        p.Add(Array("ids", NpgsqlDbType.Uuid, rentals.Select(r => r.Id)));
        p.Add(Array("versions", NpgsqlDbType.Xid, entries.Select(e => e.Property(r => r.Version).OriginalValue)));
        p.Add(Array("statuses", NpgsqlDbType.Text, rentals.Select(r => SnakeCaseNames.ToSnakeCase(r.Status.ToString()))));
        p.Add(Array("end_reasons", NpgsqlDbType.Text, rentals.Select(r => r.EndReason is { } reason ? SnakeCaseNames.ToSnakeCase(reason.ToString()) : null)));
        p.Add(Amounts("charged", rentals.Select(r => r.Charged)));
        p.Add(Amounts("charged_client_fees", rentals.Select(r => r.ChargedClientFee)));
        p.Add(Amounts("refunded", rentals.Select(r => r.Refunded)));
        p.Add(Array("metered_until", NpgsqlDbType.TimestampTz, rentals.Select(r => r.MeteredUntil)));
        p.Add(Array("ended_at", NpgsqlDbType.TimestampTz, rentals.Select(r => r.EndedAt)));
        p.Add(Array("warnings_sent", NpgsqlDbType.Integer, rentals.Select(r => r.WarningsSent)));
        p.Add(Array("unbilled_seconds", NpgsqlDbType.Bigint, rentals.Select(r => r.UnbilledSeconds)));

        var versions = new Dictionary<Guid, uint>(entries.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                versions.Add(reader.GetGuid(0), reader.GetFieldValue<uint>(1));
            }
        }
        if (versions.Count != entries.Count)
        {
            // What SaveChanges throws when an xmin-checked update finds no row; the transaction is rolled back.
            var changed = entries.Select(e => e.Entity.Id).Where(id => !versions.ContainsKey(id));
            throw new DbUpdateConcurrencyException($"Rentals {string.Join(", ", changed)} changed since they were read; roll the transaction back.");
        }
        foreach (var entry in entries)
        {
            entry.Property(r => r.Version).CurrentValue = versions[entry.Entity.Id];
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };

    private static NpgsqlParameter Amounts(string name, IEnumerable<TokenAmount> values) =>
        Array(name, NpgsqlDbType.Numeric, values.Select(v => v.BaseUnits));
}
