using System.Numerics;

namespace DepinMarket.Domain.Deposits;

/// <summary>Where a relayed permit deposit stands on chain. Crediting is the deposit watcher's job, from the vault's log.</summary>
public enum DepositRelayStatus
{
    /// <summary>The settler's <c>depositWithPermit</c> is signed and stored; whether the node took it is not known (yet).</summary>
    InDoubt,

    /// <summary>The node accepted the transaction; it is waiting to be mined.</summary>
    Relayed,

    /// <summary>Its receipt says it succeeded, with the configured confirmations: the vault holds the tokens.</summary>
    Mined,

    /// <summary>Its receipt says it reverted: no tokens moved (a permit front-run and then spent, a balance that fell short…).</summary>
    Reverted,

    /// <summary>
    /// Never mined, and never to be: the node lost the transaction and the vault would now refuse it (the permit expired
    /// or its nonce went to another permit), or another settler transaction took its nonce. No tokens moved; the permit
    /// no longer holds the owner's nonce, so a new permit can be signed and relayed.
    /// </summary>
    Dropped,
}

/// <summary>
/// A gasless deposit the API relays: the wallet owner signed an ERC-2612 permit for the vault, the settler sends
/// <c>depositWithPermit</c> and pays the gas. The signed transaction and its hash are stored before it is broadcast,
/// so a relay whose transaction may be on the chain is never forgotten nor sent a second time under a new signature:
/// it is settled by looking its hash up. One relay per permit (owner and permit nonce).
/// </summary>
public sealed class DepositRelay
{
    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    /// <summary>The wallet that signed the permit and whose tokens move (checksummed).</summary>
    public string OwnerAddress { get; private set; } = "";

    /// <summary>Base units.</summary>
    public BigInteger Amount { get; private set; }

    /// <summary>The token's <c>nonces(owner)</c> the permit was signed with.</summary>
    public BigInteger PermitNonce { get; private set; }

    /// <summary>The permit's deadline, unix seconds.</summary>
    public long Deadline { get; private set; }

    public string TransactionHash { get; private set; } = "";

    /// <summary>The signed transaction as sent to eth_sendRawTransaction (0x hex): re-broadcast as is, never re-signed.</summary>
    public string SignedTransaction { get; private set; } = "";

    public DepositRelayStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the outcome was settled (mined, reverted or dropped).</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Whether the chain may still change this relay's status.</summary>
    public bool IsOpen => Status is DepositRelayStatus.InDoubt or DepositRelayStatus.Relayed;

    /// <summary>
    /// Whether this relay holds its permit (owner and nonce): open, or mined. A reverted or dropped relay moved nothing
    /// and left the nonce to the owner, so another relay of the same owner and nonce may follow it.
    /// </summary>
    public bool HoldsPermit => IsOpen || Status == DepositRelayStatus.Mined;

    /// <summary>The statuses of <see cref="HoldsPermit"/>, for queries and the database's unique index.</summary>
    public static readonly DepositRelayStatus[] PermitHoldingStatuses = [DepositRelayStatus.InDoubt, DepositRelayStatus.Relayed, DepositRelayStatus.Mined];

    private DepositRelay()
    {
    }

    /// <summary>A relay whose transaction has just been signed: store it before broadcasting.</summary>
    public static DepositRelay Sign(
        Guid accountId, string ownerAddress, BigInteger amount, BigInteger permitNonce, long deadline,
        string transactionHash, string signedTransaction, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        ArgumentOutOfRangeException.ThrowIfNegative(permitNonce);
        ArgumentException.ThrowIfNullOrEmpty(transactionHash);
        ArgumentException.ThrowIfNullOrEmpty(signedTransaction);
        return new DepositRelay
        {
            Id = Guid.CreateVersion7(now),
            AccountId = accountId,
            OwnerAddress = ownerAddress,
            Amount = amount,
            PermitNonce = permitNonce,
            Deadline = deadline,
            TransactionHash = transactionHash,
            SignedTransaction = signedTransaction,
            Status = DepositRelayStatus.InDoubt,
            CreatedAt = now,
        };
    }

    /// <summary>Whether this relay carries the permit (owner, value, nonce, deadline) a client sends again.</summary>
    public bool IsPermit(string ownerAddress, BigInteger amount, long deadline) =>
        string.Equals(OwnerAddress, ownerAddress, StringComparison.OrdinalIgnoreCase) && Amount == amount && Deadline == deadline;

    /// <summary>The node accepted the stored bytes.</summary>
    public void Broadcast()
    {
        if (Status == DepositRelayStatus.InDoubt)
        {
            Status = DepositRelayStatus.Relayed;
        }
    }

    /// <summary>The receipt is in, with enough confirmations.</summary>
    public void Resolved(bool succeeded, DateTimeOffset now) =>
        Settle(succeeded ? DepositRelayStatus.Mined : DepositRelayStatus.Reverted, now);

    /// <summary>The transaction is not on the chain and can no longer get there (see <see cref="DepositRelayStatus.Dropped"/>).</summary>
    public void Dropped(DateTimeOffset now) => Settle(DepositRelayStatus.Dropped, now);

    private void Settle(DepositRelayStatus status, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Deposit relay {Id} is already {Status}.");
        }
        Status = status;
        ResolvedAt = now;
    }
}
