using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rentals;

/// <summary>
/// A client's limit on what it commits to rentals (escrow for new rentals and extensions) per UTC day. Escrow is
/// already each rental's own cap (a rental ends when it runs out, nothing is owed); this caps the sum of them.
/// </summary>
public sealed class SpendCap
{
    public Guid AccountId { get; private set; }

    public TokenAmount PerDay { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    private SpendCap()
    {
    }

    public static SpendCap For(Guid accountId, TokenAmount perDay, DateTimeOffset now)
    {
        var cap = new SpendCap { AccountId = accountId };
        cap.Change(perDay, now);
        return cap;
    }

    public void Change(TokenAmount perDay, DateTimeOffset now)
    {
        if (perDay.IsZero)
        {
            throw ValidationFailedException.For("perDay", "must be more than zero; remove the cap with DELETE instead.");
        }
        PerDay = perDay;
        UpdatedAt = now;
    }
}

/// <summary>What one account committed to rentals on one UTC day (updated relatively, never read-modify-written).</summary>
public sealed class SpendDay
{
    public Guid AccountId { get; private set; }

    public DateOnly Day { get; private set; }

    public TokenAmount Committed { get; private set; }

    private SpendDay()
    {
    }
}
