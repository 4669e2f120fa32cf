using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Settlement;

public enum SettlementBatchKind
{
    /// <summary>vault.payout(batchId, recipients, amounts): earnings and withdrawals to wallets.</summary>
    Payout,
    /// <summary>vault.burnFees(batchId, amount): the burn account's tokens out of the supply.</summary>
    Burn,
}

/// <summary>
/// pending (written, nothing signed) → stored (a signed transaction stored, not known to have reached the node: in
/// doubt) → sent (the
/// node took it) → confirmed (mined, successful, deep enough: the ledger moved the money out) or reverted (mined and
/// failed: the money went back to where it came from).
/// </summary>
public enum SettlementBatchStatus
{
    Pending,
    Stored,
    Sent,
    Confirmed,
    Reverted,
}

/// <summary>One on-chain settlement call and the money it carries; its id, as bytes32, is the vault's once-only guard.</summary>
public sealed class SettlementBatch
{
    public Guid Id { get; private set; }

    public SettlementBatchKind Kind { get; private set; }

    public SettlementBatchStatus Status { get; private set; }

    public int RecipientCount { get; private set; }

    public TokenAmount Total { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string? TransactionHash { get; private set; }

    public long? BlockNumber { get; private set; }

    public DateTimeOffset? SettledAt { get; private set; }

    public long? JournalId { get; private set; }

    public bool IsOpen => Status is SettlementBatchStatus.Pending or SettlementBatchStatus.Stored or SettlementBatchStatus.Sent;

    /// <summary>The vault's batchId: 16 zero bytes and the id's 16 (RFC 4122 order), so anyone can map one to the other.</summary>
    public byte[] ChainId => SettlementBatchKey.For(Id);

    private SettlementBatch()
    {
    }

    public static SettlementBatch Open(Guid id, SettlementBatchKind kind, int recipients, TokenAmount total, DateTimeOffset now) =>
        recipients <= 0 || total.IsZero
            ? throw new ArgumentException($"A settlement batch carries something: {recipients} recipients, {total} tokens.")
            : new SettlementBatch { Id = id, Kind = kind, Status = SettlementBatchStatus.Pending, RecipientCount = recipients, Total = total, CreatedAt = now };

    /// <summary>
    /// A signed transaction for it is stored (the first, or a replacement): from here its outcome is looked up, never
    /// guessed. A batch already sent stays sent (its earlier attempt reached the node).
    /// </summary>
    public void AttemptStored()
    {
        if (!IsOpen)
        {
            throw NotOpen("sign");
        }
        if (Status == SettlementBatchStatus.Pending)
        {
            Status = SettlementBatchStatus.Stored;
        }
    }

    public void Sent() => Status = IsOpen && Status != SettlementBatchStatus.Pending ? SettlementBatchStatus.Sent : throw NotOpen("send");

    public void Confirmed(string transactionHash, long block, long journalId, DateTimeOffset now) =>
        Settle(SettlementBatchStatus.Confirmed, transactionHash, block, journalId, now);

    public void Reverted(string transactionHash, long block, long? journalId, DateTimeOffset now) =>
        Settle(SettlementBatchStatus.Reverted, transactionHash, block, journalId, now);

    private void Settle(SettlementBatchStatus status, string transactionHash, long block, long? journalId, DateTimeOffset now)
    {
        if (!IsOpen || Status == SettlementBatchStatus.Pending)
        {
            throw NotOpen(status == SettlementBatchStatus.Confirmed ? "confirm" : "revert");
        }
        Status = status;
        TransactionHash = transactionHash;
        BlockNumber = block;
        JournalId = journalId;
        SettledAt = now;
    }

    private InvalidOperationException NotOpen(string action) => new($"Settlement batch {Id} is {Status}; it cannot {action}.");
}

/// <summary>The vault's bytes32 batch id for a batch's uuid.</summary>
public static class SettlementBatchKey
{
    public static byte[] For(Guid id)
    {
        var key = new byte[32];
        id.ToByteArray(bigEndian: true).CopyTo(key, 16);
        return key;
    }
}
