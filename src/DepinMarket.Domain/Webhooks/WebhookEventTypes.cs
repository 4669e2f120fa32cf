using DepinMarket.Domain.Rentals;

namespace DepinMarket.Domain.Webhooks;

/// <summary>
/// The events an endpoint can subscribe to, named "area.what" as the Standard Webhooks scheme suggests: one per
/// <see cref="RentalEventType"/> ("rental.charge_warning") and "deposit.credited". "webhook.test" is sent only when
/// an account asks for a test event, to that one endpoint, so nobody subscribes to it.
/// </summary>
public static class WebhookEventTypes
{
    public const string DepositCredited = "deposit.credited";

    public const string PayoutPaid = "payout.paid";

    public const string Test = "webhook.test";

    /// <summary>Every type an endpoint may list, in a stable order (rental events in their enum's order, then deposits).</summary>
    public static IReadOnlyList<string> Subscribable { get; } =
        [.. Enum.GetValues<RentalEventType>().Select(ForRental), DepositCredited, PayoutPaid];

    public static string ForRental(RentalEventType type) => "rental." + SnakeCase(type.ToString());

    public static bool IsSubscribable(string type) => Subscribable.Contains(type, StringComparer.Ordinal);

    /// <summary>Which side of a rental hears of an event: the renter all of them, the provider all but the renter's escrow warnings.</summary>
    public static bool ProviderHears(RentalEventType type) => type != RentalEventType.ChargeWarning;

    private static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
