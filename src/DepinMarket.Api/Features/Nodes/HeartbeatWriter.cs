using DepinMarket.Domain;
using DepinMarket.Domain.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>What an accepted heartbeat tells its agent.</summary>
/// <param name="ChallengesJson">The node's open storage challenges as a JSON array, or null when it has none.</param>
public sealed record AcceptedHeartbeat(int IntervalSeconds, string? ChallengesJson);

/// <summary>
/// Accepts a heartbeat in one statement, the hot path of a network of nodes: it checks the token and the sequence
/// under the node's row lock, records the beat, closes the node's outage when it was down (or records the gap as an
/// outage when the monitor had not noticed yet) and appends the raw record. Only a refused heartbeat pays a second
/// query, to say why it was refused.
/// </summary>
public sealed class HeartbeatWriter(NpgsqlDataSource dataSource, NodeCredentials credentials, IOptions<NodeOptions> options)
{
    private const string Accept = """
        with prev as (
            select id, status, last_seen_at, heartbeat_interval_seconds from nodes
            where id = @node and token_hash = @hash and last_sequence < @sequence
            for update),
        beat as (
            update nodes n set last_sequence = @sequence, last_seen_at = @now, status = 'up', agent_version = @version,
                latest_heartbeat = @body, monitored_since = coalesce(n.monitored_since, @now)
            from prev where n.id = prev.id
            returning prev.status as was, prev.last_seen_at as was_seen, prev.heartbeat_interval_seconds as interval_seconds),
        recovered as (
            update node_outages o set ended_at = @now from beat where o.node_id = @node and o.ended_at is null and beat.was = 'down'),
        unnoticed as (
            insert into node_outages (node_id, started_at, ended_at)
            select @node, beat.was_seen, @now from beat
            where beat.was = 'up' and beat.was_seen < @now - make_interval(secs => beat.interval_seconds * @missed)),
        record as (
            insert into node_heartbeats (node_id, sequence, received_at, body) select @node, @sequence, @now, @body from beat)
        select interval_seconds,
            (select json_agg(json_build_object('id', c.id, 'rentalId', c.rental_id, 'merkleRoot', '0x' || encode(k.merkle_root, 'hex'),
                    'chunkCount', k.chunk_count, 'chunkSize', k.chunk_size, 'chunkIndex', c.chunk_index,
                    'nonce', '0x' || encode(c.nonce, 'hex'), 'deadline', c.deadline) order by c.deadline)
             from storage_challenges c join storage_commitments k on k.rental_id = c.rental_id
             where c.node_id = @node and c.status = 'open') as challenges
        from beat
        """;

    /// <exception cref="DomainException">Refused: unknown token (401), another node's token (403), no such node (404), a replayed sequence (409).</exception>
    public async Task<AcceptedHeartbeat> AcceptAsync(Guid nodeId, string token, long sequence, string? agentVersion, string body, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var hash = NodeToken.HashOf(token);
        await using var command = AcceptCommand(dataSource, nodeId, hash, sequence, agentVersion, body, now, options.Value.MissedIntervals);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                return new AcceptedHeartbeat(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1));
            }
        }
        throw await RefusalAsync(nodeId, token, cancellationToken);
    }

    /// <summary>
    /// <see cref="Accept"/> with its parameters bound; its row is the node's heartbeat interval and open challenges, or none when refused.
    /// Internal so the heartbeat benchmark's raw-SQL baseline sends exactly what a request sends, bound the same way.
    /// </summary>
    internal static NpgsqlCommand AcceptCommand(NpgsqlDataSource dataSource, Guid nodeId, byte[] tokenHash, long sequence, string? agentVersion,
        string body, DateTimeOffset now, int missedIntervals)
    {
        var command = dataSource.CreateCommand(Accept);
        command.Parameters.Add(new NpgsqlParameter<Guid>("node", nodeId));
        command.Parameters.Add(new NpgsqlParameter<byte[]>("hash", tokenHash));
        command.Parameters.Add(new NpgsqlParameter<long>("sequence", sequence));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        command.Parameters.Add(new NpgsqlParameter<string?>("version", agentVersion) { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string>("body", body));
        command.Parameters.Add(new NpgsqlParameter<int>("missed", missedIntervals));
        return command;
    }

    /// <summary>
    /// Why a heartbeat was not accepted: the token, then the node (<see cref="NodeCredentials"/>), and last a sequence
    /// that is not above the last one (409).
    /// </summary>
    private async Task<DomainException> RefusalAsync(Guid nodeId, string token, CancellationToken cancellationToken) =>
        new ReplayedHeartbeatException(nodeId, await credentials.CheckAsync(nodeId, token, cancellationToken));
}

/// <summary>A heartbeat without a valid node token (401).</summary>
public sealed class NodeTokenException(string detail) : DomainException(DomainErrorKind.Unauthorized, "Unauthorized.", detail);

/// <summary>A heartbeat whose sequence is not above the last accepted one (409, with "lastSequence").</summary>
public sealed class ReplayedHeartbeatException(Guid nodeId, long lastSequence)
    : DomainException(DomainErrorKind.Conflict, "Heartbeat replayed.",
        $"Node {nodeId} already accepted sequence {lastSequence}; a heartbeat must carry a higher sequence (a replayed or reordered one is refused).")
{
    public override IReadOnlyDictionary<string, object> Facts { get; } = new Dictionary<string, object> { ["lastSequence"] = lastSequence };
}
