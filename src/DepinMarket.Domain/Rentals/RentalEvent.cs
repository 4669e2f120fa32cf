namespace DepinMarket.Domain.Rentals;

/// <summary>What happened to a rental. Stored snake_case ("charge_warning"); webhooks name it "rental.charge_warning".</summary>
public enum RentalEventType
{
    Created,
    Accepted,
    Declined,
    Cancelled,
    Expired,
    Completed,
    Terminated,
    Extended,
    AccessUpdated,
    ChargeWarning,
    /// <summary>The rental's node was down past the grace period: the renter was credited from the provider's stake.</summary>
    DowntimeCredited,
}

/// <summary>Who caused an event: the renter, the provider, or the market itself (the metering worker).</summary>
public enum RentalActor
{
    Client,
    Provider,
    Market,
}

/// <summary>One line of a rental's history, as <c>GET /v1/rentals/{id}/events</c> shows it.</summary>
public sealed class RentalEvent
{
    public long Id { get; private set; }

    public Guid RentalId { get; private set; }

    public RentalEventType Type { get; private set; }

    public RentalActor Actor { get; private set; }

    /// <summary>The status the rental had after the event.</summary>
    public RentalStatus Status { get; private set; }

    /// <summary>Set on the event that ended the rental.</summary>
    public RentalEndReason? Reason { get; private set; }

    /// <summary>A sentence for people ("escrow 20% left", "extended by 2 hours").</summary>
    public string? Detail { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    private RentalEvent()
    {
    }

    public static RentalEvent Of(Rental rental, RentalEventType type, RentalActor actor, string? detail, DateTimeOffset now) => new()
    {
        RentalId = rental.Id,
        Type = type,
        Actor = actor,
        Status = rental.Status,
        Reason = rental.IsOpen ? null : rental.EndReason,
        Detail = detail,
        CreatedAt = now,
    };

    /// <summary>The event that records a rental reaching <paramref name="status"/>.</summary>
    public static RentalEventType TypeFor(RentalStatus status) => status switch
    {
        RentalStatus.Active => RentalEventType.Accepted,
        RentalStatus.Completed => RentalEventType.Completed,
        RentalStatus.Cancelled => RentalEventType.Cancelled,
        RentalStatus.Declined => RentalEventType.Declined,
        RentalStatus.Terminated => RentalEventType.Terminated,
        RentalStatus.Expired => RentalEventType.Expired,
        _ => RentalEventType.Created,
    };
}
