using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>Rent an active offer. Compute takes gpus and hours; storage gigabytes and days; model a budget.</summary>
/// <param name="Kind">"compute", "storage" or "model": the kind of the offer.</param>
/// <param name="OfferId">The offer's id, from search.</param>
/// <param name="Gpus">Compute: how many of the offer's GPUs (1 to its gpusAvailable).</param>
/// <param name="Hours">Compute: how long (the offer's minHours to maxHours).</param>
/// <param name="Gigabytes">Storage: how much (1 to the offer's availableGb).</param>
/// <param name="Days">Storage: how long (the offer's minDurationDays to 3650).</param>
/// <param name="Budget">Model: the most this rental may spend, whole tokens as a decimal string ("25").</param>
public sealed record CreateRentalRequest(
    RentalKind Kind, Guid OfferId, int? Gpus = null, int? Hours = null, long? Gigabytes = null, int? Days = null, TokenAmount? Budget = null);

/// <param name="Access">How the renter reaches what it rented, as names and values (an SSH endpoint, a bucket URL,
/// a base URL and key); at most 10 entries, names of letters, digits, "_", "-" or "." up to 64, values up to 2,000 characters.
/// Only the renter can read them.</param>
public sealed record AcceptRentalRequest(IReadOnlyDictionary<string, string>? Access = null);

/// <param name="Access">The new access details (same rules as on accept).</param>
public sealed record RentalAccessRequest(IReadOnlyDictionary<string, string> Access);

/// <summary>Add to a rental: hours (compute), days (storage) or budget (model); the extra price and fee move to escrow.</summary>
public sealed record ExtendRentalRequest(int? Hours = null, int? Days = null, TokenAmount? Budget = null);

/// <param name="RequestId">The provider's id for the request served (1 to 100 printable characters); a report is charged once per id.</param>
/// <param name="InputTokens">Tokens in the request (0 to 100,000,000).</param>
/// <param name="OutputTokens">Tokens in the answer (0 to 100,000,000).</param>
public sealed record UsageReportRequest(string RequestId, long InputTokens, long OutputTokens);

/// <param name="Role">The caller's side of this rental: "client" or "provider".</param>
/// <param name="Held">What escrow still holds for this rental (refunded when it ends).</param>
/// <param name="ProviderEarnings">What the provider has earned from this rental so far (after fees).</param>
/// <param name="Access">The provider's access details; only the client sees them, and only once accepted.</param>
public sealed record RentalResponse(
    Guid Id, RentalKind Kind, Guid OfferId, Guid ClientId, Guid ProviderId, string Role, RentalStatus Status, RentalEndReason? EndReason,
    long Quantity, long? TermSeconds, TokenAmount UnitPrice, TokenAmount? OutputUnitPrice, RentalFees Fees,
    TokenAmount Escrowed, TokenAmount EscrowedFee, TokenAmount Charged, TokenAmount ChargedClientFee, TokenAmount Refunded,
    TokenAmount Held, TokenAmount ProviderEarnings,
    DateTimeOffset CreatedAt, DateTimeOffset AcceptBy, DateTimeOffset? StartedAt, DateTimeOffset? EndsAt,
    DateTimeOffset? MeteredUntil, DateTimeOffset? EndedAt, IReadOnlyDictionary<string, string>? Access)
{
    public static RentalResponse From(Rental r, Guid caller)
    {
        var isClient = r.ClientId == caller;
        return new RentalResponse(r.Id, r.Kind, r.OfferId, r.ClientId, r.ProviderId, isClient ? "client" : "provider", r.Status, r.EndReason,
            r.Quantity, r.TermSeconds, r.UnitPrice, r.OutputUnitPrice, RentalFees.From(r.Fees),
            r.Escrowed, r.EscrowedFee, r.Charged, r.ChargedClientFee, r.Refunded, r.Held,
            ChargeSplit.Cumulative(r.Fees, r.Charged).ProviderEarnings,
            r.CreatedAt, r.AcceptBy, r.StartedAt, r.EndsAt, r.MeteredUntil, r.EndedAt,
            isClient ? RentalAccess.Parse(r.Access) : null);
    }
}

/// <summary>Fee rates in basis points (25 = 0.25%).</summary>
public sealed record RentalFees(int ClientReservationBps, int ProviderReservationBps, int PlatformBps, int BurnShareBps)
{
    public static RentalFees From(FeeSchedule f) => new(f.ClientReservationBps, f.ProviderReservationBps, f.PlatformBps, f.BurnShareBps);
}

public sealed record RentalPage(IReadOnlyList<RentalResponse> Items, string? NextCursor);

public sealed record RentalEventResponse(long Id, RentalEventType Type, RentalActor Actor, RentalStatus Status, RentalEndReason? Reason, string? Detail, DateTimeOffset CreatedAt)
{
    public static RentalEventResponse From(RentalEvent e) => new(e.Id, e.Type, e.Actor, e.Status, e.Reason, e.Detail, e.CreatedAt);
}

/// <param name="Quantity">What was metered, in Unit: GPU-seconds, GB-hours, or tokens (input + output).</param>
/// <param name="UnitPrice">The price applied: per GPU-hour, per GB-month, or per million input tokens.</param>
/// <param name="Usage">The price of the quantity; ClientFee is added to it, PlatformFee and ProviderFee are taken from it.</param>
/// <param name="JournalId">The ledger journal that moved this charge (see GET /v1/ledger).</param>
public sealed record RentalChargeResponse(
    long Id, long JournalId, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd, long Quantity, ChargeUnit Unit,
    string? RequestId, long? InputTokens, long? OutputTokens, TokenAmount UnitPrice, TokenAmount? OutputUnitPrice,
    TokenAmount Usage, TokenAmount ClientFee, TokenAmount PlatformFee, TokenAmount ProviderFee, TokenAmount Burn,
    TokenAmount ProviderEarnings, DateTimeOffset CreatedAt)
{
    public static RentalChargeResponse From(RentalCharge c, Rental r) =>
        new(c.Id, c.JournalId, c.PeriodStart, c.PeriodEnd, c.Quantity, c.Unit, c.RequestId, c.InputTokens, c.OutputTokens,
            r.UnitPrice, r.OutputUnitPrice, c.Usage, c.ClientFee, c.PlatformFee, c.ProviderFee, c.Burn, c.ProviderEarnings, c.CreatedAt);
}

public sealed record RentalChargePage(IReadOnlyList<RentalChargeResponse> Items, string? NextCursor);

/// <param name="PerDay">The most this account may commit to rentals (new rentals and extensions, price and fee) per UTC day.</param>
public sealed record SpendCapRequest(TokenAmount PerDay);

/// <param name="PerDay">The cap; null when none is set.</param>
/// <param name="CommittedToday">What this account committed to rentals today (UTC).</param>
/// <param name="LeftToday">What it may still commit today; null without a cap.</param>
public sealed record SpendCapResponse(TokenAmount? PerDay, TokenAmount CommittedToday, TokenAmount? LeftToday);

/// <summary>The fees a new rental pays, in basis points (25 = 0.25%).</summary>
/// <param name="ClientReservationBps">Added to the client's price.</param>
/// <param name="ProviderReservationBps">Taken from the provider's earnings.</param>
/// <param name="PlatformBps">The platform's fee, taken from the provider's earnings.</param>
/// <param name="BurnShareBps">The share of all fees collected that is burned.</param>
/// <param name="AcceptWithinSeconds">How long a provider has to accept a pending rental.</param>
public sealed record MarketFeesResponse(int ClientReservationBps, int ProviderReservationBps, int PlatformBps, int BurnShareBps, long AcceptWithinSeconds);
