namespace DepinMarket.Domain.Offers;

/// <summary>
/// What every kind of offer shares: an owner and a lifecycle. The lifecycle is a small state machine
/// (draft → active ⇄ paused → retired) driven by methods, never by setting <see cref="Status"/>, so an
/// illegal move (resuming a retired offer) is refused in one place with one message.
/// </summary>
public abstract class Offer
{
    public Guid Id { get; protected set; }

    public Guid ProviderId { get; protected set; }

    public OfferStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; protected set; }

    public DateTimeOffset UpdatedAt { get; protected set; }

    /// <summary>Rentals of this offer are accepted at once instead of waiting for the provider.</summary>
    public bool AutoAccept { get; private set; }

    /// <summary>The node (machine) that serves the offer; null: not monitored (no heartbeats, no uptime).</summary>
    public Guid? NodeId { get; private set; }

    /// <summary>The node, when a query loads it (search does, to hide offers of nodes that are down).</summary>
    public Nodes.Node? Node { get; private set; }

    /// <summary>The provider's account, when a query loads it (search does, for its standing).</summary>
    public Accounts.Account? Provider { get; private set; }

    /// <summary>PostgreSQL's xmin: changes on every write; the basis of ETags and optimistic concurrency.</summary>
    public uint Version { get; private set; }

    protected void Open(Guid providerId, bool publish, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        ProviderId = providerId;
        Status = publish ? OfferStatus.Active : OfferStatus.Draft;
        CreatedAt = now;
        UpdatedAt = now;
    }

    /// <summary>What can be rented of the offer and how much is free (GPUs, GB); null when rentals take no capacity (model endpoints).</summary>
    public virtual (long Total, long Available, string Unit, string Field)? Capacity => null;

    public void ChangeAutoAccept(bool autoAccept) => AutoAccept = autoAccept;

    /// <summary>Names the node serving the offer (the caller checked it is the provider's), or none.</summary>
    public void ServeFrom(Guid? nodeId) => NodeId = nodeId;

    public void Publish(DateTimeOffset now) => Move(OfferStatus.Active, now, OfferStatus.Draft);

    public void Pause(DateTimeOffset now) => Move(OfferStatus.Paused, now, OfferStatus.Active);

    public void Resume(DateTimeOffset now) => Move(OfferStatus.Active, now, OfferStatus.Paused);

    public void Retire(DateTimeOffset now) =>
        Move(OfferStatus.Retired, now, OfferStatus.Draft, OfferStatus.Active, OfferStatus.Paused);

    /// <summary>Terms may change in any state but retired: a retired offer is a record, not a listing.</summary>
    protected void EnsureEditable(DateTimeOffset now)
    {
        if (Status == OfferStatus.Retired)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Offer is retired.",
                $"Offer {Id} is retired and can no longer be changed.");
        }
        UpdatedAt = now;
    }

    private void Move(OfferStatus to, DateTimeOffset now, params OfferStatus[] allowedFrom)
    {
        if (!allowedFrom.Contains(Status))
        {
            var from = string.Join(" or ", allowedFrom.Select(s => s.ToString().ToLowerInvariant()));
            throw new DomainException(DomainErrorKind.Conflict, "Offer is not in a state that allows this.",
                $"Offer {Id} is {Status.ToString().ToLowerInvariant()}; it must be {from} to become {to.ToString().ToLowerInvariant()}.");
        }
        Status = to;
        UpdatedAt = now;
    }
}
