using System.Numerics;
using Npgsql;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>
/// The settler's nonces for settlement in PostgreSQL, one sequence per chain and key (ADR 0018). A nonce is taken in
/// the transaction that stores the signed attempt carrying it, so none is used without its attempt being stored (a
/// rollback gives it back), and every stored attempt is broadcast until it is mined or its nonce is taken by another,
/// so the sequence leaves no gap. Each take is reconciled with the node's pending count, which the faucet and the
/// deposit relay advance: they sign under the same sender lock, so a take never lands between their signing and
/// broadcast. They do not draw from this table: a relay or mint they abandon as dropped would leave a gap in it, which
/// the node would wait on forever (ADR 0018, "Consequences").
/// </summary>
internal static class SettlerNonces
{
    private const string TakeSql = """
        insert into settler_nonces (chain_id, address, next_nonce, updated_at) values (@chain, @address, @pending + 1, @now)
        on conflict (chain_id, address) do update set next_nonce = greatest(settler_nonces.next_nonce, @pending) + 1, updated_at = @now
        returning next_nonce - 1
        """;

    /// <param name="pending">The node's pending transaction count for the key: no nonce below it is free.</param>
    public static async Task<long> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long chainId, string address,
        BigInteger pending, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(TakeSql, connection, transaction);
        command.Parameters.AddWithValue("chain", chainId);
        command.Parameters.AddWithValue("address", address.ToLowerInvariant());
        command.Parameters.AddWithValue("pending", (long)pending);
        command.Parameters.AddWithValue("now", now);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
