using System.Security.Claims;
using System.Text.Json;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Webhooks;

/// <summary>
/// GET /v1/webhooks/{id}/deliveries: what was sent to one endpoint, newest first, each delivery with every attempt
/// (the status the receiver answered, or why there was no answer) and the exact payload, so an integrator can see
/// why its listener missed something.
/// </summary>
public static class WebhookDeliveryLog
{
    private const int MaxLimit = 100;

    private static readonly string[] Statuses =
        [WebhookDeliveryConfiguration.Pending, WebhookDeliveryConfiguration.Succeeded, WebhookDeliveryConfiguration.Failed];

    private sealed record Cursor(long Before);

    public static WebApplication MapWebhookDeliveryLog(this WebApplication app)
    {
        app.MapGet("/v1/webhooks/{id:guid}/deliveries", List).WithTags("Webhooks")
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery("status", "limit", "cursor")
            .WithName("ListWebhookDeliveries")
            .WithSummary("An endpoint's deliveries, newest first, with every attempt: status=pending|succeeded|failed, limit ≤ 100, cursor = nextCursor")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<WebhookDeliveryPage>> List(Guid id, HttpRequest request, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var limit = PageLimit.FromQuery(query, 20, MaxLimit);
        string? status = null;
        if (query["status"].Count > 0)
        {
            status = query["status"].ToString();
            if (!Statuses.Contains(status, StringComparer.Ordinal))
            {
                throw ValidationFailedException.For("status", $"must be one of {string.Join(", ", Statuses)}.");
            }
        }
        var before = OpaqueCursor.FromQuery<Cursor>(query, c => c.Before > 0)?.Before ?? long.MaxValue;
        await WebhookEndpoints.FindAsync(db, id, user, cancellationToken);

        var deliveries = db.Set<WebhookDeliveryRecord>().AsNoTracking().Where(d => d.EndpointId == id && d.Id < before);
        if (status is not null)
        {
            deliveries = deliveries.Where(d => d.Status == status);
        }
        var page = await deliveries.OrderByDescending(d => d.Id).Take(limit + 1)
            .Join(db.Set<WebhookMessageRecord>(), d => d.MessageId, m => m.Id, (d, m) => new { Delivery = d, Message = m })
            .OrderByDescending(x => x.Delivery.Id)
            .ToListAsync(cancellationToken);
        var ids = page.Take(limit).Select(x => x.Delivery.Id).ToArray();
        var attempts = (await db.Set<WebhookAttemptRecord>().AsNoTracking().Where(a => ids.Contains(a.DeliveryId))
                .OrderBy(a => a.DeliveryId).ThenBy(a => a.Attempt).ToListAsync(cancellationToken))
            .ToLookup(a => a.DeliveryId);
        var items = page.Take(limit).Select(x => new WebhookDeliveryResponse(
            x.Delivery.Id, WebhookMessageRecord.HeaderId(x.Message.Id), x.Message.EventType, x.Delivery.Status, x.Delivery.Attempts,
            x.Delivery.CreatedAt, x.Delivery.Status == WebhookDeliveryConfiguration.Pending ? x.Delivery.NextAttemptAt : null,
            x.Delivery.DeliveredAt, x.Delivery.LastStatusCode, x.Delivery.LastError,
            ParseJson(x.Message.Payload),
            attempts[x.Delivery.Id].Select(a => new WebhookAttemptResponse(a.Attempt, a.AttemptedAt, a.StatusCode, a.Error, a.DurationMs)).ToArray()))
            .ToArray();
        var next = page.Count > limit ? OpaqueCursor.Encode(new Cursor(page[limit - 1].Delivery.Id)) : null;
        return TypedResults.Ok(new WebhookDeliveryPage(items, next));
    }

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
