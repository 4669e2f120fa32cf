using System.Numerics;
using DepinMarket.Domain.Rewards;
using Npgsql;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>
/// What each provider billed in an epoch: the quantities of the rental charges written (<c>created_at</c>) in the
/// epoch's window, summed per unit — GPU-seconds (compute), GB-hours (storage), input plus output tokens (model).
/// A charge counts in the epoch it is dated in, whatever period it covers, so every charge counts exactly once.
/// </summary>
internal static class RewardInputs
{
    private const string Sql = """
        select r.provider_id,
               coalesce(sum(c.quantity) filter (where c.unit = 'gpu_second'), 0),
               coalesce(sum(c.quantity) filter (where c.unit = 'gb_hour'), 0),
               coalesce(sum(c.quantity) filter (where c.unit = 'token'), 0)
        from rental_charges c join rentals r on r.id = c.rental_id
        where c.created_at >= @start and c.created_at < @end
        group by r.provider_id
        order by r.provider_id
        """;

    /// <returns>One contribution per provider with charges in [<paramref name="start"/>, <paramref name="end"/>), reliability not yet applied.</returns>
    public static async Task<IReadOnlyList<ProviderContribution>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.AddWithValue("start", start);
        command.Parameters.AddWithValue("end", end);
        var contributions = new List<ProviderContribution>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            contributions.Add(new ProviderContribution(reader.GetGuid(0), reader.GetFieldValue<BigInteger>(1), reader.GetFieldValue<BigInteger>(2),
                reader.GetFieldValue<BigInteger>(3)));
        }
        return contributions;
    }
}
