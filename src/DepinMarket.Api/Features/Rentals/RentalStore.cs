using DepinMarket.Api.Data;
using DepinMarket.Domain;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>Which side of a rental a caller must be to do something.</summary>
public enum RentalSide
{
    Either,
    Client,
    Provider,
}

/// <summary>
/// Finding a rental for a caller: a rental the caller is no party to does not exist for it (404, the same answer as
/// an id nobody has), and a party on the wrong side is told which side may act (403).
/// </summary>
internal static class RentalStore
{
    /// <summary>The rental, row-locked for the rest of the transaction (FOR UPDATE), so its changes cannot be lost.</summary>
    public static async Task<Rental> LockAsync(MarketDbContext db, Guid id, Guid caller, RentalSide side, string action, CancellationToken cancellationToken)
    {
        // xmin is named: "select *" leaves system columns out, and EF maps it as the row version.
        var rental = (await db.Rentals.FromSql($"select *, xmin from rentals where id = {id} for update").ToListAsync(cancellationToken)).SingleOrDefault();
        return Authorize(rental, id, caller, side, action);
    }

    public static async Task<Rental> ReadAsync(MarketDbContext db, Guid id, Guid caller, CancellationToken cancellationToken)
    {
        var rental = await db.Rentals.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return Authorize(rental, id, caller, RentalSide.Either, "read");
    }

    private static Rental Authorize(Rental? rental, Guid id, Guid caller, RentalSide side, string action)
    {
        if (rental is null || (rental.ClientId != caller && rental.ProviderId != caller))
        {
            throw new DomainException(DomainErrorKind.NotFound, "Rental not found.", $"This account has no rental {id}, as client or as provider.");
        }
        var isClient = rental.ClientId == caller;
        if (side == RentalSide.Client && !isClient || side == RentalSide.Provider && isClient)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Not this side of the rental.",
                $"Only the rental's {side.ToString().ToLowerInvariant()} can {action} it; this account is its {(isClient ? "client" : "provider")}.");
        }
        return rental;
    }
}
