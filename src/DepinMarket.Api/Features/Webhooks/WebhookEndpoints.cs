using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Webhooks;

/// <summary>
/// An account's webhook endpoints: register one (its secret shown once), list, change, delete, rotate the secret,
/// send a test event. Another account's endpoint does not exist for the caller (404). The delivery log is in
/// <see cref="WebhookDeliveryLog"/>.
/// </summary>
public static class WebhookEndpoints
{
    public static WebApplication MapWebhookEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/v1/webhooks").WithTags("Webhooks");

        group.MapGet("/event-types", EventTypes).AllowAnonymous().AcceptsQuery().WithName("ListWebhookEventTypes")
            .WithSummary("The event types an endpoint can subscribe to");
        group.MapPost("/", Create).RequireAuthorization(Policies.Write).AcceptsQuery().WithName("CreateWebhook")
            .WithSummary("Register an endpoint: events of the listed types are POSTed to its URL, signed (Standard Webhooks); the secret is shown once")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", List).RequireAuthorization(Policies.Read).AcceptsQuery().WithName("ListWebhooks")
            .WithSummary("This account's endpoints (secrets are never shown again)");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read).AcceptsQuery().WithName("GetWebhook")
            .WithSummary("One of this account's endpoints")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}", Update).RequireAuthorization(Policies.Write).AcceptsQuery().WithName("UpdateWebhook")
            .WithSummary("Change an endpoint's URL, event types, description, or enable/disable it (only the fields given)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", Delete).RequireAuthorization(Policies.Write).AcceptsQuery().WithName("DeleteWebhook")
            .WithSummary("Delete an endpoint and its delivery log; nothing more is sent to it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/rotate-secret", RotateSecret).RequireAuthorization(Policies.Write).AcceptsQuery().WithName("RotateWebhookSecret")
            .WithSummary("Replace the endpoint's signing secret; the new one is shown once and signs every delivery from now on")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/test", SendTest).RequireAuthorization(Policies.Write).AcceptsQuery().WithName("SendWebhookTest")
            .WithSummary("Queue a signed \"webhook.test\" event to this endpoint; watch it in the delivery log")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static Ok<IReadOnlyList<WebhookEventTypeResponse>> EventTypes() =>
        TypedResults.Ok<IReadOnlyList<WebhookEventTypeResponse>>(WebhookEventTypes.Subscribable.Select(t => new WebhookEventTypeResponse(t, Describe(t))).ToArray());

    internal static async Task<Created<CreatedWebhookResponse>> Create(CreateWebhookRequest body, ClaimsPrincipal user, MarketDbContext db,
        TimeProvider clock, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var endpoint = WebhookEndpoint.Create(accountId, body.Url, body.EventTypes, body.Description, clock.Now());
        var max = options.Value.MaxEndpointsPerAccount;
        if (await db.Set<WebhookEndpoint>().CountAsync(e => e.AccountId == accountId, cancellationToken) >= max)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Too many webhook endpoints.",
                $"An account may have {max} endpoints; delete one, or list several event types on one endpoint.");
        }
        db.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/webhooks/{endpoint.Id}", CreatedWebhookResponse.From(endpoint));
    }

    internal static async Task<Ok<WebhookList>> List(ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking().Where(e => e.AccountId == accountId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new WebhookList(endpoints.Select(WebhookResponse.From).ToArray()));
    }

    internal static async Task<Ok<WebhookResponse>> Get(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(WebhookResponse.From(await FindAsync(db, id, user, cancellationToken)));

    internal static async Task<Ok<WebhookResponse>> Update(Guid id, UpdateWebhookRequest body, ClaimsPrincipal user, MarketDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(db, id, user, cancellationToken);
        endpoint.Change(body.Url, body.EventTypes, body.Description, body.Enabled, clock.Now());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WebhookResponse.From(endpoint));
    }

    internal static async Task<NoContent> Delete(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        db.Remove(await FindAsync(db, id, user, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<WebhookSecretResponse>> RotateSecret(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(db, id, user, cancellationToken);
        var secret = endpoint.RotateSecret(clock.Now());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new WebhookSecretResponse(endpoint.Id, secret));
    }

    internal static async Task<Accepted<WebhookTestResponse>> SendTest(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(db, id, user, cancellationToken);
        if (!endpoint.Enabled)
        {
            throw new DomainException(DomainErrorKind.Conflict, "This endpoint is disabled.",
                $"Endpoint {id} is disabled, so nothing is sent to it; enable it (PATCH {{\"enabled\": true}}) first.");
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var (messageId, deliveryId) = await WebhookOutbox.EnqueueTestAsync(connection, null, endpoint, clock.Now(), cancellationToken);
        return TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", new WebhookTestResponse(WebhookMessageRecord.HeaderId(messageId), deliveryId));
    }

    /// <summary>The caller's endpoint, tracked; another account's is answered like one that does not exist.</summary>
    internal static async Task<WebhookEndpoint> FindAsync(MarketDbContext db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        return await db.Set<WebhookEndpoint>().SingleOrDefaultAsync(e => e.Id == id && e.AccountId == accountId, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Webhook endpoint not found.", $"This account has no webhook endpoint {id}.");
    }

    private static string Describe(string type) => type switch
    {
        WebhookEventTypes.DepositCredited => "A deposit reached the confirmation depth and was credited to the account's balance.",
        WebhookEventTypes.PayoutPaid => "A payout to the account's wallet (earnings or a withdrawal) was confirmed on chain; the data carries the transaction hash and block.",
        _ when type == WebhookEventTypes.ForRental(RentalEventType.ChargeWarning) => "A rental's escrow fell to a warning level (20%, 5%); sent to the renter only.",
        _ when type == WebhookEventTypes.ForRental(RentalEventType.DowntimeCredited) =>
            "A rental's node was down past the grace period: the renter was credited from the provider's stake (no claim needed); the detail gives the seconds and amounts.",
        _ => $"A rental of this account (as client or provider): {type["rental.".Length..].Replace('_', ' ')}.",
    };
}
