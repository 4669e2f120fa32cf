using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Reputation;

/// <summary>
/// What reputation is computed from, for many providers in one query: their nodes' mean 30-day uptime (the monitor's
/// copy), rentals of the last 90 days completed or ended by the provider's fault, storage challenges of the last 90
/// days, slashes of the last 30 days, which kinds they offer, and the validators' model scores.
/// </summary>
public sealed class ReputationInputsReader(IProviderModelScores modelScores, TimeProvider clock)
{
    private const string Sql = """
        with p as (select unnest(@providers) as id)
        select p.id,
            (select avg(n.uptime30d_bps)::float8 / 10000 from nodes n where n.provider_id = p.id and n.uptime30d_bps is not null),
            (select count(*) from rentals r where r.provider_id = p.id and r.ended_at > @since90 and r.status = 'completed')::int,
            (select count(*) from rentals r where r.provider_id = p.id and r.ended_at > @since90 and r.end_reason = 'provider_fault')::int,
            exists (select 1 from storage_offers o where o.provider_id = p.id and o.status <> 'retired'),
            (select count(*) from storage_challenges c join rentals r on r.id = c.rental_id where r.provider_id = p.id and c.issued_at > @since90 and c.status = 'passed')::int,
            (select count(*) from storage_challenges c join rentals r on r.id = c.rental_id where r.provider_id = p.id and c.issued_at > @since90 and c.status = 'failed')::int,
            (select count(*) from storage_challenges c join rentals r on r.id = c.rental_id where r.provider_id = p.id and c.issued_at > @since90 and c.status = 'missed')::int,
            exists (select 1 from model_offers o where o.provider_id = p.id and o.status <> 'retired'),
            (select count(*) from slashes s where s.provider_id = p.id and s.created_at > @since30)::int
        from p
        """;

    public async Task<IReadOnlyDictionary<Guid, ReputationInputs>> ReadAsync(MarketDbContext db, IReadOnlyCollection<Guid> providers, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var scores = await modelScores.LatestAsync(db, providers, cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter("providers", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = providers.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("since90", now.AddDays(-90)));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("since30", now.AddDays(-30)));
        var inputs = new Dictionary<Guid, ReputationInputs>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            inputs[id] = new ReputationInputs(
                Uptime30Days: reader.IsDBNull(1) ? null : reader.GetDouble(1),
                RentalsCompleted: reader.GetInt32(2),
                RentalsEndedByProviderFault: reader.GetInt32(3),
                HasStorageOffers: reader.GetBoolean(4),
                ProofsPassed: reader.GetInt32(5),
                ProofsFailed: reader.GetInt32(6),
                ProofsMissed: reader.GetInt32(7),
                HasModelOffers: reader.GetBoolean(8),
                ModelScore: scores.TryGetValue(id, out var score) ? score : null,
                SlashesLast30Days: reader.GetInt32(9));
        }
        return inputs;
    }
}
