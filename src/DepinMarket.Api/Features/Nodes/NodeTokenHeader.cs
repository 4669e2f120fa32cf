using DepinMarket.Domain.Nodes;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>
/// The node token a node sends as "Authorization: Bearer dmn_…". It is not an API key: the API-key handler leaves
/// it alone, and the node endpoints check it themselves, inside the statement that accepts the heartbeat.
/// </summary>
public static class NodeTokenHeader
{
    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization["Bearer ".Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }

    /// <exception cref="NodeTokenException">No token, or an API key where the node's token belongs.</exception>
    public static string Require(HttpRequest request) => Read(request) switch
    {
        null => throw new NodeTokenException("This endpoint takes the node's own token: send \"Authorization: Bearer dmn_…\" (from POST /v1/nodes)."),
        var token when !NodeToken.LooksLikeOne(token) => throw new NodeTokenException(
            "This endpoint takes the node's own token (dmn_…), not an API key: the token was shown when the node was registered."),
        var token => token,
    };

    /// <summary>The rate limiter's partition for a node's requests: its token's public prefix, so each node has its own allowance.</summary>
    public static string? PartitionOf(HttpRequest request) =>
        Read(request) is { } token && NodeToken.PrefixOf(token) is { } prefix ? $"node:{prefix}" : null;
}
