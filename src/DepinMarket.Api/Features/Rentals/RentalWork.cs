using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Webhooks;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// What one transaction does to rentals, collected and then written in a fixed order: capacity given back (offers
/// locked in id order), then every journal in one <see cref="LedgerPoster.PostManyAsync"/> (ledger accounts locked
/// in id order), then the charges that name those journals and the metered rentals (one statement each,
/// <see cref="RentalBatchWrites"/>), then through SaveChanges the events and any other change of the rentals. An endpoint
/// uses it for one rental, the metering worker for hundreds; both take their locks in the same order — rental
/// rows first (the caller's FOR UPDATE), then offers, then ledger accounts — so they never deadlock each other. The
/// webhooks of its events go to the outbox in the same transaction (<see cref="WebhookOutbox"/>).
/// </summary>
internal sealed class RentalWork(MarketDbContext db, DateTimeOffset now)
{
    private readonly List<(Rental Rental, Func<Func<Guid, MarketLedger>, JournalDraft> Journal, Func<long, RentalCharge>? Charge)> moves = [];
    private readonly List<Rental> releases = [];
    private readonly List<RentalEvent> events = [];
    private readonly List<WebhookEvent> webhooks = [];
    private readonly Dictionary<Guid, MarketLedger> knownLedgers = [];

    public DateTimeOffset Now => now;

    private readonly Dictionary<Guid, NodeLivenessView> liveness = [];

    /// <summary>
    /// Reads, in one query, the heartbeat record of the nodes serving <paramref name="rentals"/>, so metering charges
    /// them only for time their node was seen alive (<see cref="LivenessOf"/>).
    /// </summary>
    public async Task LoadLivenessAsync(IEnumerable<Rental> rentals, CancellationToken cancellationToken)
    {
        var served = rentals.Where(r => r.NodeId is not null && r.MeteredUntil is not null).ToList();
        if (served.Count == 0)
        {
            return;
        }
        var from = served.Min(r => r.MeteredUntil!.Value);
        var nodes = served.Select(r => r.NodeId!.Value).Distinct().ToArray();
        var seen = await db.Nodes.AsNoTracking().Where(n => nodes.Contains(n.Id)).Select(n => new { n.Id, n.LastSeenAt }).ToListAsync(cancellationToken);
        var outages = await db.Set<Nodes.NodeOutageRecord>().AsNoTracking()
            .Where(o => nodes.Contains(o.NodeId) && (o.EndedAt == null || o.EndedAt > from))
            .Select(o => new { o.NodeId, o.StartedAt, o.EndedAt }).ToListAsync(cancellationToken);
        foreach (var node in seen)
        {
            // A node that never beat was never seen alive: nothing of its rentals is charged yet.
            liveness[node.Id] = new NodeLivenessView(node.LastSeenAt ?? DateTimeOffset.MinValue,
                outages.Where(o => o.NodeId == node.Id).Select(o => new Domain.Trust.Outage(o.StartedAt, o.EndedAt)).ToList());
        }
    }

    /// <summary>What <see cref="LoadLivenessAsync"/> read of the rental's node; null for a rental no node serves.</summary>
    public NodeLivenessView? LivenessOf(Rental rental) =>
        rental.NodeId is { } node ? liveness.GetValueOrDefault(node) ?? new NodeLivenessView(DateTimeOffset.MinValue, []) : null;

    /// <summary>Ledger accounts the caller already read (creating a rental ensures both sides'), so saving need not read them again.</summary>
    public void Know(MarketLedger ledger) => knownLedgers[ledger.AccountId] = ledger;

    /// <summary>The client's available tokens to its escrow: a new rental's price and fee, or an extension's.</summary>
    public void Escrow(Rental rental, TokenAmount amount) =>
        moves.Add((rental, ledger => JournalDraft.Transfer(JournalKind.RentalEscrow, Reference(rental),
            ledger(rental.ClientId)[LedgerAccountKind.Available], ledger(rental.ClientId)[LedgerAccountKind.Escrow], amount), null));

    /// <summary>One charge: escrow to the provider's earnings, the fees account and the burn account.</summary>
    public void Charge(Rental rental, ChargeSplit split, Func<long, RentalCharge> charge)
    {
        if (split.IsZero)
        {
            return;
        }
        moves.Add((rental, ledger =>
        {
            var lines = new List<PostingDraft>
            {
                new(ledger(rental.ClientId)[LedgerAccountKind.Escrow], TokenDelta.Debit(split.FromEscrow)),
                new(ledger(rental.ProviderId)[LedgerAccountKind.Earnings], TokenDelta.Credit(split.ProviderEarnings)),
                new(PlatformLedgerAccounts.Fees, TokenDelta.Credit(split.ToFees)),
                new(PlatformLedgerAccounts.Burn, TokenDelta.Credit(split.Burn)),
            };
            return JournalDraft.Create(JournalKind.RentalCharge, $"{Reference(rental)}:charge", false, lines.Where(l => !l.Amount.IsZero));
        }, charge));
    }

    /// <summary>
    /// An ended rental: what its escrow still held back to available, its capacity back to the offer (unless the
    /// offer is being retired: nobody can rent it again), and its event.
    /// </summary>
    public void Ended(Rental rental, RentalActor actor, string? detail, bool releaseCapacity = true)
    {
        if (!rental.Refunded.IsZero)
        {
            moves.Add((rental, ledger => JournalDraft.Transfer(JournalKind.RentalRefund, Reference(rental),
                ledger(rental.ClientId)[LedgerAccountKind.Escrow], ledger(rental.ClientId)[LedgerAccountKind.Available], rental.Refunded), null));
        }
        if (releaseCapacity)
        {
            releases.Add(rental);
        }
        Event(rental, RentalEvent.TypeFor(rental.Status), actor, detail);
    }

    /// <summary>An event of the rental's history, and the webhooks that report it (written to the outbox on saving).</summary>
    public void Event(Rental rental, RentalEventType type, RentalActor actor, string? detail)
    {
        var e = RentalEvent.Of(rental, type, actor, detail, now);
        events.Add(e);
        webhooks.AddRange(RentalWebhooks.For(e, rental));
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var (connection, transaction) = RentalCapacity.Connection(db);
        if (releases.Count > 0)
        {
            await RentalCapacity.ReleaseAsync(connection, transaction, releases, cancellationToken);
        }
        if (moves.Count > 0)
        {
            var unknown = moves.SelectMany(m => new[] { m.Rental.ClientId, m.Rental.ProviderId }).Distinct().Where(id => !knownLedgers.ContainsKey(id)).ToArray();
            if (unknown.Length > 0)
            {
                foreach (var ledger in (await MarketLedgerAccounts.ReadManyAsync(connection, transaction, unknown, cancellationToken)).Values)
                {
                    Know(ledger);
                }
            }
            var journals = moves.Select(m => m.Journal(id => knownLedgers[id])).ToArray();
            var ids = await LedgerPoster.PostManyAsync(connection, transaction, journals, now, cancellationToken);
            var charges = moves.Select((m, i) => m.Charge?.Invoke(ids[i]!.Value)).OfType<RentalCharge>().ToArray();
            await RentalBatchWrites.InsertChargesAsync(db, connection, transaction, charges, cancellationToken);
        }
        await RentalBatchWrites.UpdateMeteredRentalsAsync(db, connection, transaction, cancellationToken);
        await WebhookOutbox.EnqueueAsync(connection, transaction, webhooks, now, cancellationToken);
        db.RentalEvents.AddRange(events);
        await db.SaveChangesAsync(cancellationToken);
        moves.Clear();
        releases.Clear();
        events.Clear();
        webhooks.Clear();
    }

    public static string Reference(Rental rental) => $"rental:{rental.Id}";
}
