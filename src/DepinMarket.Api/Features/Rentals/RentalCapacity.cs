using DepinMarket.Api.Data;
using DepinMarket.Domain;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>The offer terms a rental is priced by, read as capacity is taken.</summary>
public sealed record RentedOffer(Guid ProviderId, TokenAmount UnitPrice, TokenAmount? OutputUnitPrice, int MinTerm, int MaxTerm, long Left, bool AutoAccept, Guid? NodeId = null);

/// <summary>
/// Capacity is taken by one relative UPDATE guarded by what is left (<c>gpus_available &gt;= n</c>): PostgreSQL
/// re-checks the guard on the row it locked, so two clients racing for the last GPUs cannot both pass it — one
/// update wins, the other finds too little and gets a 409 naming what is left. Capacity comes back when a rental
/// ends, never above the offer's size (the provider may have edited what is available meanwhile).
/// </summary>
public static class RentalCapacity
{
    private const string ReserveCompute = """
        update compute_offers set gpus_available = gpus_available - @n
        where id = @id and status = 'active' and gpus_available >= @n
            and (node_id is null or exists (select 1 from nodes n where n.id = node_id and n.status = 'up'))
        returning provider_id, price_per_gpu_hour, null::numeric, min_hours, max_hours, gpus_available::bigint, auto_accept, node_id
        """;

    private const string ReserveStorage = """
        update storage_offers set available_gb = available_gb - @n
        where id = @id and status = 'active' and available_gb >= @n
            and (node_id is null or exists (select 1 from nodes n where n.id = node_id and n.status = 'up'))
        returning provider_id, price_per_gb_month, null::numeric, min_duration_days, 3650, available_gb, auto_accept, node_id
        """;

    private const string ReadModel = """
        select provider_id, price_per_million_input_tokens, price_per_million_output_tokens, 0, 0, 0::bigint, auto_accept, node_id
        from model_offers where id = @id and status = 'active'
            and (node_id is null or exists (select 1 from nodes n where n.id = node_id and n.status = 'up'))
        """;

    /// <summary>Takes <paramref name="quantity"/> of the offer's capacity in the current transaction.</summary>
    /// <exception cref="DomainException">404 no such offer; 409 not active, or too little left (saying how much is).</exception>
    public static async Task<RentedOffer> ReserveAsync(MarketDbContext db, RentalKind kind, Guid offerId, long quantity, CancellationToken cancellationToken)
    {
        var (connection, transaction) = Connection(db);
        var sql = kind switch { RentalKind.Compute => ReserveCompute, RentalKind.Storage => ReserveStorage, _ => ReadModel };
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddWithValue("id", offerId);
            command.Parameters.AddWithValue("n", quantity);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return new RentedOffer(reader.GetGuid(0), new TokenAmount(reader.GetFieldValue<System.Numerics.BigInteger>(1)),
                    reader.IsDBNull(2) ? null : new TokenAmount(reader.GetFieldValue<System.Numerics.BigInteger>(2)),
                    reader.GetInt32(3), reader.GetInt32(4), reader.GetInt64(5), reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetGuid(7));
            }
        }
        throw await WhyNotAsync(connection, transaction, kind, offerId, quantity, cancellationToken);
    }

    private static async Task<DomainException> WhyNotAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RentalKind kind, Guid offerId, long quantity, CancellationToken cancellationToken)
    {
        var (table, left, unit) = kind switch
        {
            RentalKind.Compute => ("compute_offers", "gpus_available::bigint", "GPUs"),
            RentalKind.Storage => ("storage_offers", "available_gb", "GB"),
            _ => ("model_offers", "0::bigint", ""),
        };
        await using var command = new NpgsqlCommand($"select o.status, {left.Replace("gpus_available", "o.gpus_available").Replace("available_gb", "o.available_gb")}, n.status from {table} o left join nodes n on n.id = o.node_id where o.id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", offerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var noun = kind.ToString().ToLowerInvariant();
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new DomainException(DomainErrorKind.NotFound, "Offer not found.", $"There is no {noun} offer {offerId}; is the kind right?");
        }
        var status = reader.GetString(0);
        var nodeStatus = reader.IsDBNull(2) ? null : reader.GetString(2);
        return status != "active"
            ? new DomainException(DomainErrorKind.Conflict, "Offer is not active.", $"The {noun} offer {offerId} is {status}; only an active offer can be rented.")
            : nodeStatus is not null and not "up"
            ? new DomainException(DomainErrorKind.Conflict, "The offer's node is not up.",
                $"The node serving {noun} offer {offerId} is {nodeStatus} (see GET /v1/nodes/{{id}}/health); it cannot be rented until it beats again.")
            : new DomainException(DomainErrorKind.Conflict, "Not enough capacity left.",
                $"The {noun} offer {offerId} has {reader.GetInt64(1)} {unit} left; {quantity} were asked for.");
    }

    /// <summary>Gives back the capacity of <paramref name="rentals"/>, locking the offers in id order (no deadlock between batches).</summary>
    public static async Task ReleaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<Rental> rentals, CancellationToken cancellationToken)
    {
        foreach (var group in rentals.Where(r => r.Kind != RentalKind.Model).GroupBy(r => r.Kind))
        {
            var (table, column, size) = group.Key == RentalKind.Compute
                ? ("compute_offers", "gpus_available", "gpu_count")
                : ("storage_offers", "available_gb", "capacity_gb");
            var perOffer = group.GroupBy(r => r.OfferId).OrderBy(g => g.Key).ToArray();
            await using var command = new NpgsqlCommand($"""
                with locked as (select id from {table} where id = any(@ids) order by id for no key update)
                update {table} o set {column} = least(o.{size}, o.{column} + r.n)
                from unnest(@ids, @ns) as r(id, n), locked
                where o.id = r.id and locked.id = r.id
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = perOffer.Select(g => g.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("ns", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = perOffer.Select(g => g.Sum(r => r.Quantity)).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    internal static (NpgsqlConnection, NpgsqlTransaction) Connection(MarketDbContext db)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Rentals change capacity and money together: an open transaction is needed.");
        return ((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
    }
}
