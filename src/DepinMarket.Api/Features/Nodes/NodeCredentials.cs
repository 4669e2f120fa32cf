using System.Security.Cryptography;
using DepinMarket.Domain;
using DepinMarket.Domain.Nodes;
using Npgsql;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>
/// Checks a node token against the node named in the path, for the node's own endpoints (challenges) and to explain a
/// refused heartbeat. Refusals come in the order a client can act on: a token that is no node's (401) before anything
/// about the node (so a stranger learns nothing of which nodes exist), then a node that does not exist (404), then a
/// token of another node (403).
/// </summary>
public sealed class NodeCredentials(NpgsqlDataSource dataSource)
{
    private const string Lookup = "select id, token_hash, last_sequence from nodes where id = @node or token_prefix = @prefix";

    /// <returns>The node's last accepted heartbeat sequence.</returns>
    /// <exception cref="DomainException">401, 404 or 403, with the reason.</exception>
    public async Task<long> CheckAsync(Guid nodeId, string token, CancellationToken cancellationToken)
    {
        var hash = NodeToken.HashOf(token);
        var prefix = NodeToken.PrefixOf(token);
        await using var command = dataSource.CreateCommand(Lookup);
        command.Parameters.Add(new NpgsqlParameter<Guid>("node", nodeId));
        command.Parameters.Add(new NpgsqlParameter<string>("prefix", prefix ?? ""));
        Guid? tokenNode = null;
        long? lastSequence = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                if (CryptographicOperations.FixedTimeEquals(reader.GetFieldValue<byte[]>(1), hash))
                {
                    tokenNode = id;
                }
                if (id == nodeId)
                {
                    lastSequence = reader.GetInt64(2);
                }
            }
        }
        if (tokenNode is null)
        {
            throw new NodeTokenException(prefix is null
                ? "The node token is malformed: node tokens look like dmn_<16 hex>_<secret> (POST /v1/nodes gives one)."
                : "The node token is not valid (revoked by a rotation, or never issued).");
        }
        if (lastSequence is not { } last)
        {
            throw new DomainException(DomainErrorKind.NotFound, "Node not found.", $"There is no node {nodeId}.");
        }
        if (tokenNode != nodeId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "This token belongs to another node.",
                $"The token is node {tokenNode}'s; each node uses its own token.");
        }
        return last;
    }
}
