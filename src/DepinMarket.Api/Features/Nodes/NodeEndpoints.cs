using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>
/// A provider's nodes: register one (its token shown once), list them, read one, rotate its token. Another
/// provider's node does not exist for the caller (404). Heartbeats are in <see cref="HeartbeatEndpoints"/>,
/// the public health view in <see cref="NodeHealthEndpoints"/>.
/// </summary>
public static class NodeEndpoints
{
    public static WebApplication MapNodeEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/v1/nodes").WithTags("Nodes");
        group.MapPost("/", Create).RequireAuthorization(Policies.Provider).AcceptsQuery().WithName("CreateNode")
            .WithSummary("Register a machine; its token (for heartbeats) is shown once")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", List).RequireAuthorization(Policies.Read).AcceptsQuery("limit", "cursor").WithName("ListNodes")
            .WithSummary("This account's nodes, newest first")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read).AcceptsQuery().WithName("GetNode")
            .WithSummary("One of this account's nodes")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/rotate-token", RotateToken).RequireAuthorization(Policies.Provider).AcceptsQuery().WithName("RotateNodeToken")
            .WithSummary("Replace the node's token: the old one is refused from now on; the new one is shown once")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Created<NodeWithTokenResponse>> Create(CreateNodeRequest body, ClaimsPrincipal user, MarketDbContext db,
        TimeProvider clock, IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        var providerId = user.AccountIdOf();
        var token = NodeToken.Generate();
        var node = Node.Register(providerId, body.Name, body.HeartbeatIntervalSeconds, token, clock.Now());
        var max = options.Value.MaxNodesPerProvider;
        if (await db.Nodes.CountAsync(n => n.ProviderId == providerId, cancellationToken) >= max)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Too many nodes.", $"A provider may register {max} nodes.");
        }
        db.Nodes.Add(node);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/nodes/{node.Id}", NodeWithTokenResponse.From(node, token));
    }

    internal static async Task<Ok<NodeList>> List(HttpContext http, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var limit = PageLimit.FromQuery(http.Request.Query, 50, 100);
        var cursor = NewestFirstCursor.FromQuery(http.Request.Query);
        var providerId = user.AccountIdOf();
        var query = db.Nodes.AsNoTracking().Where(n => n.ProviderId == providerId);
        if (cursor is not null)
        {
            query = query.Where(n => n.CreatedAt < cursor.CreatedAt || (n.CreatedAt == cursor.CreatedAt && n.Id.CompareTo(cursor.Id) < 0));
        }
        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(limit + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = new NewestFirstCursor(rows[^1].CreatedAt, rows[^1].Id).Encode();
        }
        return TypedResults.Ok(new NodeList(rows.Select(NodeResponse.From).ToArray(), next));
    }

    internal static async Task<Ok<NodeResponse>> Get(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(NodeResponse.From(await FindOwnedAsync(db, id, user, cancellationToken)));

    internal static async Task<Ok<NodeWithTokenResponse>> RotateToken(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var node = await FindOwnedAsync(db, id, user, cancellationToken);
        var token = NodeToken.Generate();
        node.ReplaceToken(token);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(NodeWithTokenResponse.From(node, token));
    }

    /// <summary>The caller's node, tracked; another provider's is answered like one that does not exist.</summary>
    internal static async Task<Node> FindOwnedAsync(MarketDbContext db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var providerId = user.AccountIdOf();
        return await db.Nodes.SingleOrDefaultAsync(n => n.Id == id && n.ProviderId == providerId, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Node not found.", $"This account has no node {id}.");
    }
}
