using DepinMarket.Domain;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// What a rental request asks for, checked against its kind: each kind takes its own fields and refuses the others'
/// by name, so "hours" sent for a storage offer is a 400 rather than silently ignored.
/// </summary>
public sealed record RentalTerms(long Quantity, int? Term, TokenAmount? Budget)
{
    public const int MaxStorageDays = 3650;
    public const long MaxGigabytes = 1_000_000_000;

    private static readonly string[] ComputeFields = ["gpus", "hours"];
    private static readonly string[] ComputeExtension = ["hours"];
    private static readonly string[] StorageFields = ["gigabytes", "days"];
    private static readonly string[] StorageExtension = ["days"];
    private static readonly string[] ModelFields = ["budget"];

    public long TermSeconds(RentalKind kind) => kind switch
    {
        RentalKind.Compute => Term!.Value * 3600L,
        RentalKind.Storage => Term!.Value * 86400L,
        _ => throw new InvalidOperationException("A model rental has no term."),
    };

    public static RentalTerms Parse(CreateRentalRequest r)
    {
        if (r.OfferId == Guid.Empty)
        {
            throw ValidationFailedException.For("offerId", "is required: the id of the offer to rent, from search.");
        }
        return Parse(r.Kind, r.Gpus, r.Hours, r.Gigabytes, r.Days, r.Budget, creating: true);
    }

    public static RentalTerms ParseExtension(RentalKind kind, ExtendRentalRequest r) => Parse(kind, null, r.Hours, null, r.Days, r.Budget, creating: false);

    private static RentalTerms Parse(RentalKind kind, int? gpus, int? hours, long? gigabytes, int? days, TokenAmount? budget, bool creating)
    {
        var v = new Validation();
        var (needs, quantity) = kind switch
        {
            RentalKind.Compute => (creating ? ComputeFields : ComputeExtension, (long?)gpus),
            RentalKind.Storage => (creating ? StorageFields : StorageExtension, gigabytes),
            _ => (ModelFields, 1L),
        };
        var given = new (string Name, bool Present)[]
        {
            ("gpus", gpus is not null), ("hours", hours is not null), ("gigabytes", gigabytes is not null),
            ("days", days is not null), ("budget", budget is not null),
        };
        var noun = kind.ToString().ToLowerInvariant();
        foreach (var (name, present) in given)
        {
            if (present && !needs.Contains(name))
            {
                v.Add(name, $"is not a field of a {noun} rental; it takes {string.Join(" and ", needs)}.");
            }
            else if (!present && needs.Contains(name))
            {
                v.Add(name, $"is required for a {noun} rental.");
            }
        }
        if (gpus is { } g && needs.Contains("gpus"))
        {
            v.InRange(g, 1, 64, "gpus");
        }
        if (gigabytes is { } gb && needs.Contains("gigabytes") && gb is < 1 or > MaxGigabytes)
        {
            v.Add("gigabytes", $"must be between 1 and {MaxGigabytes}; got {gb}.");
        }
        if (hours is { } h && needs.Contains("hours"))
        {
            v.InRange(h, 1, 8760, "hours");
        }
        if (days is { } d && needs.Contains("days"))
        {
            v.InRange(d, 1, MaxStorageDays, "days");
        }
        if (budget is { IsZero: true } && needs.Contains("budget"))
        {
            v.Add("budget", "must be more than zero.");
        }
        v.ThrowIfInvalid();
        return new RentalTerms(quantity ?? 0, hours ?? days, budget);
    }

    /// <summary>The term must lie within what the offer allows.</summary>
    public void EnsureWithin(RentalKind kind, RentedOffer offer)
    {
        if (Term is { } term && (term < offer.MinTerm || term > offer.MaxTerm))
        {
            var (field, unit) = kind == RentalKind.Compute ? ("hours", "hours") : ("days", "days");
            throw ValidationFailedException.For(field, $"must be between the offer's {offer.MinTerm} and {offer.MaxTerm} {unit}; got {term}.");
        }
    }
}
