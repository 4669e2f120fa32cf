using System.Text.Json;
using DepinMarket.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>
/// What a node itself calls, with its own token (not an API key): heartbeats, and the storage challenges it must
/// answer. These are the API's busiest endpoints on a large network, so they take no API-key lookup and one statement.
/// </summary>
public static class HeartbeatEndpoints
{
    public static WebApplication MapHeartbeatEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/v1/nodes/{id:guid}").WithTags("Nodes");
        // Anonymous to the API-key scheme: the node token is checked inside the heartbeat's own statement.
        group.MapPost("/heartbeats", Beat).AllowAnonymous().AcceptsQuery().WithName("SendHeartbeat")
            .WithSummary("A node's heartbeat (Authorization: Bearer <node token>): GPUs, disk, bandwidth, agent version and a sequence above the last one")
            .WithDescription("Refused with the reason: malformed (400), no or an unknown token (401), another node's token (403), no such node (404), " +
                "a sequence not above the last accepted one (409, with \"lastSequence\"). The answer lists the storage challenges the node must answer.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<Ok<HeartbeatResponse>> Beat(Guid id, HeartbeatRequest body, HttpRequest request, HeartbeatWriter writer,
        TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var token = NodeTokenHeader.Require(request);
        HeartbeatRules.Check(body);
        // Stored as the API's own serialisation of the checked body, so what the health view shows was validated.
        var text = JsonSerializer.Serialize(body, json.Value.SerializerOptions);
        var accepted = await writer.AcceptAsync(id, token, body.Sequence, body.AgentVersion, text, clock.Now(), cancellationToken);
        var challenges = accepted.ChallengesJson is { } list
            ? JsonSerializer.Deserialize<StorageChallengeResponse[]>(list, json.Value.SerializerOptions)!
            : [];
        return TypedResults.Ok(new HeartbeatResponse(body.Sequence, Domain.Nodes.NodeStatus.Up, accepted.IntervalSeconds, challenges));
    }
}
