using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rentals;

/// <summary>
/// One client's rental of one offer, and the state machine of its life:
/// <code>
/// pending ──accept──▶ active ──term ends / client stops / budget spent──▶ completed
///    │                  └──provider fault / insufficient funds / offer retired──▶ terminated
///    ├──client cancels──▶ cancelled
///    ├──provider declines──▶ declined
///    └──not accepted in time──▶ expired
/// </code>
/// Moves happen only through the methods here, so an illegal one (stopping a declined rental) is refused in one place
/// with one message. The money is tracked per rental: <see cref="Escrowed"/> (the usage paid for) and
/// <see cref="EscrowedFee"/> (the client's fee on it) went into the client's escrow; <see cref="Charged"/> and
/// <see cref="ChargedClientFee"/> left it as charges; whatever is left when the rental ends is
/// <see cref="Refunded"/>, so <c>charged + client fee charged + refunded = escrowed + fee escrowed</c> to the base unit.
/// </summary>
public sealed class Rental
{
    /// <summary>Warning events go out when the usage budget left falls to these percentages.</summary>
    public static readonly IReadOnlyList<int> WarningPercents = [20, 5];

    public Guid Id { get; private set; }

    public RentalKind Kind { get; private set; }

    public Guid OfferId { get; private set; }

    public Guid ClientId { get; private set; }

    public Guid ProviderId { get; private set; }

    public RentalStatus Status { get; private set; }

    public RentalEndReason? EndReason { get; private set; }

    /// <summary>GPUs (compute), gigabytes (storage), or 1 (model).</summary>
    public long Quantity { get; private set; }

    /// <summary>The paid term in seconds (compute, storage); null for a model budget, which runs until spent or stopped.</summary>
    public long? TermSeconds { get; private set; }

    /// <summary>Price per GPU-hour (compute), per GB-month (storage), or per million input tokens (model).</summary>
    public TokenAmount UnitPrice { get; private set; }

    /// <summary>Model only: price per million output tokens.</summary>
    public TokenAmount? OutputUnitPrice { get; private set; }

    public int ClientReservationBps { get; private set; }

    public int ProviderReservationBps { get; private set; }

    public int PlatformBps { get; private set; }

    public int BurnShareBps { get; private set; }

    public TokenAmount Escrowed { get; private set; }

    public TokenAmount EscrowedFee { get; private set; }

    public TokenAmount Charged { get; private set; }

    public TokenAmount ChargedClientFee { get; private set; }

    public TokenAmount Refunded { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>A pending rental not accepted by then expires.</summary>
    public DateTimeOffset AcceptBy { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When the paid term runs out (compute, storage).</summary>
    public DateTimeOffset? EndsAt { get; private set; }

    /// <summary>Time-billed rentals: charged up to here.</summary>
    public DateTimeOffset? MeteredUntil { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>How many of <see cref="WarningPercents"/> have been announced.</summary>
    public int WarningsSent { get; private set; }

    /// <summary>How to reach what was rented (JSON object of strings), set by the provider; only the client reads it.</summary>
    public string? Access { get; private set; }

    /// <summary>The node serving the rental (its offer's, when rented); null: not monitored, billed by the clock alone.</summary>
    public Guid? NodeId { get; private set; }

    /// <summary>Seconds of the term not charged because the node was down (docs/decisions/0022).</summary>
    public long UnbilledSeconds { get; private set; }

    /// <summary>What the last <see cref="MeterTo"/> charged for (GPU-seconds, or GB-hours): the charge record's quantity.</summary>
    public long LastMeteredQuantity { get; private set; }

    /// <summary>PostgreSQL's xmin.</summary>
    public uint Version { get; private set; }

    private Rental()
    {
    }

    public FeeSchedule Fees => new(ClientReservationBps, ProviderReservationBps, PlatformBps, BurnShareBps);

    public bool IsTimeBilled => Kind != RentalKind.Model;

    public bool IsOpen => Status is RentalStatus.Pending or RentalStatus.Active;

    /// <summary>What the client's escrow still holds for this rental.</summary>
    public TokenAmount Held => Escrowed + EscrowedFee - Charged - ChargedClientFee - Refunded;

    /// <summary>The usage budget not yet charged.</summary>
    public TokenAmount UsageLeft => Escrowed - Charged;

    /// <summary>A time-billed rental of <paramref name="termSeconds"/>: escrow is the usage of the whole term.</summary>
    public static Rental ForTerm(Guid id, RentalKind kind, Guid offerId, Guid clientId, Guid providerId, long quantity, long termSeconds,
        TokenAmount unitPrice, FeeSchedule fees, DateTimeOffset now, TimeSpan acceptWithin)
    {
        if (kind == RentalKind.Model || quantity <= 0 || termSeconds <= 0)
        {
            throw new ArgumentException($"A {kind} rental of {quantity} for {termSeconds} s is not a time-billed rental.");
        }
        var rental = Open(id, kind, offerId, clientId, providerId, quantity, unitPrice, fees, now, acceptWithin);
        rental.TermSeconds = termSeconds;
        rental.SetEscrow(WithinRange(kind, () => rental.UsageFor(termSeconds)));
        return rental;
    }

    /// <summary>A model rental: a spend budget charged by usage reports.</summary>
    public static Rental ForBudget(Guid id, Guid offerId, Guid clientId, Guid providerId, TokenAmount inputPrice, TokenAmount outputPrice,
        TokenAmount budget, FeeSchedule fees, DateTimeOffset now, TimeSpan acceptWithin)
    {
        var rental = Open(id, RentalKind.Model, offerId, clientId, providerId, 1, inputPrice, fees, now, acceptWithin);
        rental.OutputUnitPrice = outputPrice;
        rental.SetEscrow(budget);
        return rental;
    }

    private static Rental Open(Guid id, RentalKind kind, Guid offerId, Guid clientId, Guid providerId, long quantity,
        TokenAmount unitPrice, FeeSchedule fees, DateTimeOffset now, TimeSpan acceptWithin)
    {
        if (!fees.IsValid)
        {
            throw new ArgumentException($"Fee schedule {fees} is not valid.", nameof(fees));
        }
        return new Rental
        {
            Id = id,
            Kind = kind,
            OfferId = offerId,
            ClientId = clientId,
            ProviderId = providerId,
            Status = RentalStatus.Pending,
            Quantity = quantity,
            UnitPrice = unitPrice,
            ClientReservationBps = fees.ClientReservationBps,
            ProviderReservationBps = fees.ProviderReservationBps,
            PlatformBps = fees.PlatformBps,
            BurnShareBps = fees.BurnShareBps,
            CreatedAt = now,
            AcceptBy = now + acceptWithin,
        };
    }

    private void SetEscrow(TokenAmount usage)
    {
        if (usage.IsZero)
        {
            throw ValidationFailedException.For(IsTimeBilled ? "quantity" : "budget", "buys nothing: the price of this rental rounds to zero base units.");
        }
        WithinRange(Kind, () => usage + Fees.ClientFeeOn(usage));
        Escrowed = usage;
        EscrowedFee = Fees.ClientFeeOn(usage);
    }

    /// <summary>
    /// A price, or an escrow with its fee, that does not fit the token's range (2^256-1 base units) is the client's
    /// request asking for too much: a 400 naming what to make smaller, not an overflow deep in the ledger.
    /// </summary>
    private static TokenAmount WithinRange(RentalKind kind, Func<TokenAmount> price)
    {
        try
        {
            return price();
        }
        catch (OverflowException)
        {
            var field = kind switch { RentalKind.Compute => "hours", RentalKind.Storage => "days", _ => "budget" };
            throw ValidationFailedException.For(field, "makes this rental cost more than the token's range (2^256-1 base units) allows; ask for less.");
        }
    }

    /// <summary>The usage of <paramref name="seconds"/> of this time-billed rental.</summary>
    public TokenAmount UsageFor(long seconds) => Kind switch
    {
        RentalKind.Compute => RentalPricing.Compute(UnitPrice, Quantity, seconds),
        RentalKind.Storage => RentalPricing.Storage(UnitPrice, Quantity, seconds),
        _ => throw new InvalidOperationException("A model rental is billed by usage reports, not by time."),
    };

    /// <summary>The provider accepts: the term starts now.</summary>
    public void Accept(string? access, DateTimeOffset now)
    {
        // Computed before the move: a term that ends past the calendar throws and leaves the rental pending.
        DateTimeOffset? endsAt = TermSeconds is { } term && Status == RentalStatus.Pending ? now.AddSeconds(term) : null;
        Move(RentalStatus.Active, null, now, "accept", RentalStatus.Pending);
        StartedAt = now;
        if (endsAt is not null)
        {
            EndsAt = endsAt;
            MeteredUntil = now;
        }
        Access = access;
    }

    /// <summary>The provider replaces the access details of an accepted rental.</summary>
    public void SetAccess(string access)
    {
        if (Status != RentalStatus.Active)
        {
            throw NotAllowed("set the access details of", "active");
        }
        Access = access;
    }

    /// <summary>
    /// Time-billed: charges the usage from the last charge up to <paramref name="now"/> (never past the end of the
    /// term). The split is zero when nothing new accrued (storage bills whole hours).
    /// </summary>
    /// <param name="liveness">For a rental served by a node: what the heartbeat record says. Time is charged only up to
    /// the node's last heartbeat, and never for its outages, so a renter pays only for time the machine was seen alive.</param>
    public ChargeSplit MeterTo(DateTimeOffset now, NodeLivenessView? liveness = null)
    {
        if (Status != RentalStatus.Active || !IsTimeBilled)
        {
            throw new InvalidOperationException($"Rental {Id} is {Status} {Kind}: nothing to meter.");
        }
        var until = now < EndsAt!.Value ? now : EndsAt.Value;
        if (liveness is not null && liveness.SeenUntil < until)
        {
            until = liveness.SeenUntil;
        }
        LastMeteredQuantity = 0;
        if (until <= MeteredUntil)
        {
            return ChargeSplit.Between(Fees, Charged, Charged);
        }
        var billedBefore = BilledSecondsAt(MeteredUntil!.Value);
        UnbilledSeconds += liveness?.DownSeconds(MeteredUntil.Value, until) ?? 0;
        var billed = Math.Max(billedBefore, BilledSecondsAt(until));
        var split = ChargeSplit.Between(Fees, Charged, UsageFor(billed));
        LastMeteredQuantity = Kind == RentalKind.Compute
            ? Quantity * (billed - billedBefore)
            : RentalPricing.GigabyteHours(Quantity, billed) - RentalPricing.GigabyteHours(Quantity, billedBefore);
        Apply(split);
        MeteredUntil = until;
        return split;
    }

    /// <summary>Rents from this node: metering then follows its heartbeats.</summary>
    public void ServedBy(Guid? nodeId) => NodeId = nodeId;

    private long BilledSecondsAt(DateTimeOffset t) => Math.Max(0, (long)Math.Floor((t - StartedAt!.Value).TotalSeconds) - UnbilledSeconds);

    /// <summary>The metered quantity of a time-billed rental between two points (GPU-seconds, or GB-hours).</summary>
    public long MeteredQuantity(DateTimeOffset from, DateTimeOffset to)
    {
        var start = StartedAt!.Value;
        long Elapsed(DateTimeOffset t) => (long)Math.Floor((t - start).TotalSeconds);
        return Kind == RentalKind.Compute
            ? Quantity * (Elapsed(to) - Elapsed(from))
            : RentalPricing.GigabyteHours(Quantity, Elapsed(to)) - RentalPricing.GigabyteHours(Quantity, Elapsed(from));
    }

    /// <summary>
    /// Model: charges one usage report of <paramref name="cost"/>, at most what the budget has left.
    /// </summary>
    /// <returns>The split charged, and whether the budget is now spent.</returns>
    public (ChargeSplit Split, bool BudgetSpent) ChargeUsage(TokenAmount cost)
    {
        if (Status != RentalStatus.Active || IsTimeBilled)
        {
            throw NotAllowed("report usage for", "an active model rental");
        }
        var charged = cost < UsageLeft ? cost : UsageLeft;
        var split = ChargeSplit.Between(Fees, Charged, Charged + charged);
        Apply(split);
        return (split, UsageLeft.IsZero);
    }

    private void Apply(ChargeSplit split)
    {
        Charged += split.Usage;
        ChargedClientFee += split.ClientFee;
    }

    /// <summary>The next warning due now that the budget left has fallen; null when none is.</summary>
    public int? TakeDueWarning()
    {
        int? due = null;
        while (WarningsSent < WarningPercents.Count
               && UsageLeft.BaseUnits * 100 <= Escrowed.BaseUnits * WarningPercents[WarningsSent])
        {
            due = WarningPercents[WarningsSent];
            WarningsSent++;
        }
        return due;
    }

    /// <summary>Whether the paid term is over at <paramref name="now"/>.</summary>
    public bool TermOverAt(DateTimeOffset now) => EndsAt is { } end && now >= end;

    /// <summary>Adds <paramref name="seconds"/> to a time-billed rental's term.</summary>
    /// <returns>What the client's escrow must take on: the extra usage and its fee.</returns>
    public (TokenAmount Usage, TokenAmount Fee) ExtendTerm(long seconds)
    {
        EnsureExtendable();
        if (!IsTimeBilled || seconds <= 0)
        {
            throw new ArgumentException("Only a time-billed rental's term is extended, by a positive time.", nameof(seconds));
        }
        // Everything that can throw (a term past a long or the calendar, an escrow past the token's range) comes
        // before the first change, so a refused extension leaves the rental as it was.
        var term = checked(TermSeconds!.Value + seconds);
        var endsAt = EndsAt?.AddSeconds(seconds);
        var escrowed = WithinRange(Kind, () => UsageFor(term));
        TermSeconds = term;
        EndsAt = endsAt;
        return Grow(escrowed);
    }

    /// <summary>Adds <paramref name="budget"/> to a model rental's budget.</summary>
    public (TokenAmount Usage, TokenAmount Fee) ExtendBudget(TokenAmount budget)
    {
        EnsureExtendable();
        if (IsTimeBilled || budget.IsZero)
        {
            throw new ArgumentException("Only a model rental's budget is extended, by a positive amount.", nameof(budget));
        }
        return Grow(WithinRange(Kind, () => Escrowed + budget));
    }

    private (TokenAmount Usage, TokenAmount Fee) Grow(TokenAmount escrowed)
    {
        WithinRange(Kind, () => escrowed + Fees.ClientFeeOn(escrowed));
        var fee = Fees.ClientFeeOn(escrowed);
        var added = (escrowed - Escrowed, fee - EscrowedFee);
        Escrowed = escrowed;
        EscrowedFee = fee;
        // A level the extension lifted the rental back above is due again when it falls to it once more: the renter
        // who topped up at 15% left wants the next "20% left" too. Levels still crossed stay sent.
        WarningsSent = WarningPercents.TakeWhile(percent => UsageLeft.BaseUnits * 100 <= Escrowed.BaseUnits * percent).Count();
        return added;
    }

    private void EnsureExtendable()
    {
        if (!IsOpen)
        {
            throw NotAllowed("extend", "pending or active");
        }
    }

    public void Cancel(DateTimeOffset now) => Move(RentalStatus.Cancelled, RentalEndReason.ClientCancelled, now, "cancel", RentalStatus.Pending);

    public void Decline(DateTimeOffset now) => Move(RentalStatus.Declined, RentalEndReason.ProviderDeclined, now, "decline", RentalStatus.Pending);

    public void Expire(DateTimeOffset now) => Move(RentalStatus.Expired, RentalEndReason.AcceptanceTimeout, now, "expire", RentalStatus.Pending);

    /// <summary>Ends an active rental normally: its term ran out, the client stopped it, or its budget is spent.</summary>
    public void Complete(RentalEndReason reason, DateTimeOffset now)
    {
        if (reason is not (RentalEndReason.TermEnded or RentalEndReason.ClientStopped or RentalEndReason.InsufficientFunds))
        {
            throw new ArgumentException($"{reason} does not complete a rental.", nameof(reason));
        }
        var status = reason == RentalEndReason.InsufficientFunds ? RentalStatus.Terminated : RentalStatus.Completed;
        Move(status, reason, now, "end", RentalStatus.Active);
    }

    /// <summary>Ends an open rental early for a reason that is nobody's choice but the provider's.</summary>
    public void Terminate(RentalEndReason reason, DateTimeOffset now)
    {
        if (reason is not (RentalEndReason.ProviderFault or RentalEndReason.OfferRetired or RentalEndReason.InsufficientFunds))
        {
            throw new ArgumentException($"{reason} does not terminate a rental.", nameof(reason));
        }
        Move(RentalStatus.Terminated, reason, now, "terminate", RentalStatus.Active, RentalStatus.Pending);
    }

    private void Move(RentalStatus to, RentalEndReason? reason, DateTimeOffset now, string verb, params RentalStatus[] allowedFrom)
    {
        if (!allowedFrom.Contains(Status))
        {
            throw NotAllowed(verb, string.Join(" or ", allowedFrom.Select(s => s.ToString().ToLowerInvariant())));
        }
        Status = to;
        EndReason = reason;
        if (!IsOpen)
        {
            EndedAt = now;
            // Whatever escrow still holds for this rental goes back to the client when it ends.
            Refunded = Held;
        }
    }

    private DomainException NotAllowed(string verb, string required) =>
        new(DomainErrorKind.Conflict, "Rental is not in a state that allows this.",
            $"Rental {Id} is {Status.ToString().ToLowerInvariant()}; to {verb} a rental it must be {required}.");
}
