using DepinMarket.Domain.Money;
using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Stakes;

/// <summary>Why stake was taken. Stored as snake_case text ("storage_proof").</summary>
public enum SlashReason
{
    /// <summary>A node serving a rental was down past the grace period.</summary>
    Downtime,
    /// <summary>A storage challenge was failed or not answered in time.</summary>
    StorageProof,
    /// <summary>A usage report was shown false.</summary>
    FalseUsage,
}

/// <summary>
/// Stake taken for a provable fault, with its evidence: what was asked, what the stake could give, and how that was
/// split between the harmed client and burn. <see cref="EvidenceKey"/> names the fault, so finding it again slashes nothing more.
/// </summary>
public sealed class Slash
{
    public Guid Id { get; private set; }
    public Guid ProviderId { get; private set; }
    public SlashReason Reason { get; private set; }
    public string EvidenceKey { get; private set; } = "";
    public string Evidence { get; private set; } = "";
    public Guid? RentalId { get; private set; }
    public Guid? ClientId { get; private set; }
    public TokenAmount Amount { get; private set; }
    public TokenAmount ToClient { get; private set; }
    public TokenAmount ToBurn { get; private set; }
    public TokenAmount Shortfall { get; private set; }
    public long? JournalId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private Slash()
    {
    }

    public static Slash Record(Guid providerId, SlashReason reason, string evidenceKey, string evidence, Guid? rentalId, Guid? clientId,
        TokenAmount amount, SlashSplit split, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        ProviderId = providerId,
        Reason = reason,
        EvidenceKey = evidenceKey,
        Evidence = evidence,
        RentalId = rentalId,
        ClientId = clientId,
        Amount = amount,
        ToClient = split.ToClient,
        ToBurn = split.ToBurn,
        Shortfall = split.Shortfall,
        CreatedAt = now,
    };

    public void Posted(long? journalId) => JournalId = journalId;

    public string Reference => $"slash:{Id}";
}
