using System.Text.Json;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Trust;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>
/// A node's health for anyone deciding whether to rent from it: status, last heartbeat, uptime over 24 hours and
/// 30 days computed now from the outage record (not the search copy, which the monitor refreshes), and the outages.
/// </summary>
public static class NodeHealthEndpoints
{
    private const int MaxOutagesShown = 100;

    public static WebApplication MapNodeHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/v1/nodes/{id:guid}/health", Health).WithTags("Nodes").RequireAuthorization(Policies.Read).AcceptsQuery()
            .WithName("GetNodeHealth")
            .WithSummary("A node's status, last heartbeat, uptime (24 h, 30 days) and outages; readable with any API key")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<NodeHealthResponse>> Health(Guid id, MarketDbContext db, TimeProvider clock, IOptions<NodeOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var node = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Node not found.", $"There is no node {id}.");
        var now = clock.Now();
        var monthAgo = now.AddDays(-30);
        var records = await db.Set<NodeOutageRecord>().AsNoTracking()
            .Where(o => o.NodeId == id && (o.EndedAt == null || o.EndedAt > monthAgo))
            .OrderByDescending(o => o.StartedAt).Take(MaxOutagesShown).ToListAsync(cancellationToken);
        var outages = records.Select(o => new Outage(o.StartedAt, o.EndedAt)).ToList();
        var downAfter = node.DownAfter(options.Value.MissedIntervals);
        // A node the monitor has not marked yet but that is silent past its limit is down now, from its last heartbeat.
        if (node.Status == Domain.Nodes.NodeStatus.Up && node.LastSeenAt is { } seen && NodeLiveness.IsDown(seen, TimeSpan.FromSeconds(node.HeartbeatIntervalSeconds), options.Value.MissedIntervals, now))
        {
            outages.Insert(0, new Outage(seen, null));
        }
        var status = outages.Any(o => o.IsOngoing) ? Domain.Nodes.NodeStatus.Down : node.Status;
        NodeUptime? uptime = node.MonitoredSince is { } since
            ? new NodeUptime(Round(Uptime.Over(outages, now.AddHours(-24), now, since)), Round(Uptime.Over(outages, monthAgo, now, since)))
            : null;
        var latest = node.LatestHeartbeat is { } text ? JsonSerializer.Deserialize<HeartbeatRequest>(text, json.Value.SerializerOptions) : null;
        return TypedResults.Ok(new NodeHealthResponse(
            node.Id, status, node.LastSeenAt, node.LastSequence, node.MonitoredSince, node.HeartbeatIntervalSeconds, (long)downAfter.TotalSeconds,
            uptime, outages.Select(o => new NodeOutageResponse(o.From, o.Until, (long)((o.Until ?? now) - o.From).TotalSeconds)).ToArray(), latest));
    }

    private static double? Round(double? fraction) => fraction is { } f ? Math.Round(f, 4) : null;
}
