using System.Text.Json;
using DepinMarket.Domain.Webhooks;

namespace DepinMarket.Api.Features.Webhooks;

/// <param name="Url">Where deliveries are POSTed: an absolute http(s) URL, at most 2,000 characters.</param>
/// <param name="EventTypes">What to receive: any of GET /v1/webhooks/event-types (at least one).</param>
/// <param name="Description">A note for people (at most 200 characters).</param>
public sealed record CreateWebhookRequest(string Url, IReadOnlyList<string> EventTypes, string? Description = null);

/// <summary>Changes only what is given.</summary>
/// <param name="Enabled">false stops deliveries (pending ones wait); true resumes them.</param>
public sealed record UpdateWebhookRequest(string? Url = null, IReadOnlyList<string>? EventTypes = null, string? Description = null, bool? Enabled = null);

public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookResponse From(WebhookEndpoint e) => new(e.Id, e.Url, e.EventTypes, e.Description, e.Enabled, e.CreatedAt, e.UpdatedAt);
}

/// <param name="Secret">The signing secret ("whsec_…"): shown now and never again (rotate it to get a new one).</param>
public sealed record CreatedWebhookResponse(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Secret)
{
    public static CreatedWebhookResponse From(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.EventTypes, e.Description, e.Enabled, e.CreatedAt, e.UpdatedAt, e.Secret);
}

/// <param name="Secret">The new signing secret, shown once; deliveries from now on are signed with it.</param>
public sealed record WebhookSecretResponse(Guid Id, string Secret);

public sealed record WebhookList(IReadOnlyList<WebhookResponse> Items);

/// <param name="MessageId">The webhook-id header the test delivery carries.</param>
/// <param name="DeliveryId">Its line in GET /v1/webhooks/{id}/deliveries.</param>
public sealed record WebhookTestResponse(string MessageId, long DeliveryId);

public sealed record WebhookEventTypeResponse(string Type, string Description);

/// <param name="MessageId">The webhook-id header: the same on every attempt.</param>
/// <param name="Status">"pending" (NextAttemptAt says when), "succeeded" or "failed" (the retries ran out).</param>
/// <param name="Payload">The JSON body sent (signed as these exact bytes).</param>
/// <param name="AttemptLog">Every try, oldest first: the HTTP status the receiver answered, or why there was none.</param>
public sealed record WebhookDeliveryResponse(long Id, string MessageId, string EventType, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, int? LastStatusCode, string? LastError,
    JsonElement Payload, IReadOnlyList<WebhookAttemptResponse> AttemptLog);

/// <param name="StatusCode">What the receiver answered; null when it gave no answer (Error says why).</param>
public sealed record WebhookAttemptResponse(int Attempt, DateTimeOffset AttemptedAt, int? StatusCode, string? Error, int DurationMs);

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryResponse> Items, string? NextCursor);
