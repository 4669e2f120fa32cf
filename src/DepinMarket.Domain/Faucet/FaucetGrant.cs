using System.Numerics;

namespace DepinMarket.Domain.Faucet;

/// <summary>
/// Test tokens handed to an account's verified wallet on a test network. The row is written before the
/// mint is sent, so the cooldown holds even when two requests race or the send fails half way.
/// </summary>
public sealed class FaucetGrant
{
    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string WalletAddress { get; private set; } = "";

    public BigInteger Amount { get; private set; }

    public string? TransactionHash { get; private set; }

    public DateTimeOffset GrantedAt { get; private set; }

    private FaucetGrant()
    {
    }

    public static FaucetGrant Reserve(Guid accountId, string walletAddress, BigInteger amount, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        AccountId = accountId,
        WalletAddress = walletAddress,
        Amount = amount,
        GrantedAt = now,
    };

    public void Sent(string transactionHash) => TransactionHash = transactionHash;
}
