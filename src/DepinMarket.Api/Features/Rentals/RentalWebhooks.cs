using DepinMarket.Api.Features.Webhooks;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Webhooks;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// The data of a "rental.*" webhook: the event and the rental as it stood right after it, so a listener need not
/// call back to learn the new status or what escrow still holds.
/// </summary>
public sealed record RentalWebhookData(
    Guid RentalId, RentalKind Kind, Guid OfferId, Guid ClientId, Guid ProviderId, RentalEventType Event, RentalActor Actor,
    RentalStatus Status, RentalEndReason? Reason, string? Detail, TokenAmount Escrowed, TokenAmount Charged, TokenAmount Refunded,
    TokenAmount Held, DateTimeOffset? EndsAt);

internal static class RentalWebhooks
{
    /// <summary>A rental event as webhooks: one to the renter, and one to the provider unless it is the renter's own warning.</summary>
    public static IEnumerable<WebhookEvent> For(RentalEvent e, Rental rental)
    {
        var type = WebhookEventTypes.ForRental(e.Type);
        var data = new RentalWebhookData(rental.Id, rental.Kind, rental.OfferId, rental.ClientId, rental.ProviderId, e.Type, e.Actor,
            e.Status, e.Reason, e.Detail, rental.Escrowed, rental.Charged, rental.Refunded, rental.Held, rental.EndsAt);
        yield return new WebhookEvent(rental.ClientId, type, data);
        if (WebhookEventTypes.ProviderHears(e.Type))
        {
            yield return new WebhookEvent(rental.ProviderId, type, data);
        }
    }
}
