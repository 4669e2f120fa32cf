using System.Numerics;

namespace DepinMarket.Domain.Faucet;

/// <summary>Where a grant's mint stands. Only a grant whose outcome is known can stop counting against the cooldown.</summary>
public enum FaucetGrantStatus
{
    /// <summary>The cooldown is taken, nothing is signed yet. If signing fails, nothing can reach the chain and the grant is given back.</summary>
    Reserved,

    /// <summary>The mint is signed and stored, and may have been broadcast: its outcome is unknown until its receipt is found.</summary>
    InDoubt,

    /// <summary>The mint's receipt says it succeeded, with the configured confirmations.</summary>
    Confirmed,

    /// <summary>The mint's receipt says it reverted: nothing was minted, and the grant no longer counts against the cooldown.</summary>
    Failed,
}

/// <summary>
/// Test tokens handed to an account's verified wallet on a test network. The row is written before anything is
/// signed, so the cooldown holds even when requests race; the signed mint and its hash are stored before it is
/// broadcast, so a grant whose mint may be on the chain is never forgotten: it stays in doubt until its receipt
/// is found, and only a receipt that says "reverted" gives the cooldown back.
/// </summary>
public sealed class FaucetGrant
{
    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string WalletAddress { get; private set; } = "";

    public BigInteger Amount { get; private set; }

    public FaucetGrantStatus Status { get; private set; }

    public string? TransactionHash { get; private set; }

    /// <summary>The signed mint as sent to eth_sendRawTransaction (0x hex): re-broadcast as is, never re-signed.</summary>
    public string? SignedTransaction { get; private set; }

    public DateTimeOffset GrantedAt { get; private set; }

    /// <summary>When the receipt settled the outcome (confirmed or failed).</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Whether this grant holds the account's and the wallet's cooldown: every grant but a failed one.</summary>
    public bool CountsAgainstCooldown => Status != FaucetGrantStatus.Failed;

    private FaucetGrant()
    {
    }

    public static FaucetGrant Reserve(Guid accountId, string walletAddress, BigInteger amount, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        AccountId = accountId,
        WalletAddress = walletAddress,
        Amount = amount,
        Status = FaucetGrantStatus.Reserved,
        GrantedAt = now,
    };

    /// <summary>The mint is signed; store this before broadcasting it.</summary>
    public void MintSigned(string transactionHash, string signedTransaction)
    {
        Require(FaucetGrantStatus.Reserved, nameof(MintSigned));
        TransactionHash = transactionHash;
        SignedTransaction = signedTransaction;
        Status = FaucetGrantStatus.InDoubt;
    }

    /// <summary>The receipt is in, with enough confirmations: <paramref name="succeeded"/> says whether the mint ran or reverted.</summary>
    public void Resolved(bool succeeded, DateTimeOffset now)
    {
        Require(FaucetGrantStatus.InDoubt, nameof(Resolved));
        Status = succeeded ? FaucetGrantStatus.Confirmed : FaucetGrantStatus.Failed;
        ResolvedAt = now;
    }

    private void Require(FaucetGrantStatus expected, string step)
    {
        if (Status != expected)
        {
            throw new InvalidOperationException($"Faucet grant {Id} is {Status}; {step} needs it {expected}.");
        }
    }
}
