using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Stakes;

/// <summary>
/// An unstake request. Until <see cref="ReleasesAt"/> the tokens stay staked: they still back the provider's offers and
/// can still be slashed (a provider must not escape a fault by unstaking the moment it happens).
/// </summary>
public sealed class StakeUnbonding
{
    public Guid Id { get; private set; }
    public Guid ProviderId { get; private set; }
    public TokenAmount Amount { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset ReleasesAt { get; private set; }
    public DateTimeOffset? ReleasedAt { get; private set; }
    public TokenAmount? ReleasedAmount { get; private set; }
    public long? JournalId { get; private set; }

    private StakeUnbonding()
    {
    }

    public static StakeUnbonding Request(Guid providerId, TokenAmount amount, TimeSpan cooldown, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        ProviderId = providerId,
        Amount = amount,
        RequestedAt = now,
        ReleasesAt = now + cooldown,
    };

    /// <summary>The cooldown is over: <paramref name="released"/> (what slashes left of the amount) went back to available.</summary>
    public void Release(TokenAmount released, long? journalId, DateTimeOffset now)
    {
        ReleasedAmount = released;
        JournalId = journalId;
        ReleasedAt = now;
    }

    public static string ReferenceFor(Guid id) => $"unstake:{id}";
}
