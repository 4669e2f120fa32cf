using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Settlement;

public enum PayoutSource
{
    /// <summary>A provider's earnings at or above the minimum payout.</summary>
    Earnings,
    /// <summary>A withdrawal the account asked for.</summary>
    Withdrawal,
}

public enum PayoutStatus
{
    /// <summary>In a batch on its way to the chain; the money is in the account's settling balance.</summary>
    Settling,
    /// <summary>The batch was confirmed on chain.</summary>
    Paid,
    /// <summary>The batch reverted; the money went back (earnings to earnings, a withdrawal to requested).</summary>
    Returned,
}

/// <summary>What one account is paid by one batch, from one source.</summary>
public sealed class Payout
{
    public Guid Id { get; private set; }

    public Guid BatchId { get; private set; }

    public Guid AccountId { get; private set; }

    public PayoutSource Source { get; private set; }

    public Guid? WithdrawalId { get; private set; }

    public string Wallet { get; private set; } = "";

    public TokenAmount Amount { get; private set; }

    public PayoutStatus Status { get; private set; }

    public long? JournalId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    private Payout()
    {
    }

    public static Payout For(Guid id, Guid batchId, Payable payable, long? journalId, DateTimeOffset now) => new()
    {
        Id = id,
        BatchId = batchId,
        AccountId = payable.AccountId,
        Source = payable.Source,
        WithdrawalId = payable.WithdrawalId,
        Wallet = payable.Wallet,
        Amount = payable.Amount,
        Status = PayoutStatus.Settling,
        JournalId = journalId,
        CreatedAt = now,
    };

    /// <summary>The same payout, naming the journal that moved its earnings to settling (posted after the payout was planned).</summary>
    public Payout WithJournal(long journalId)
    {
        JournalId = journalId;
        return this;
    }

    public void Paid() => Status = Status == PayoutStatus.Settling ? PayoutStatus.Paid : throw new InvalidOperationException($"Payout {Id} is {Status}.");

    public void Returned() => Status = Status == PayoutStatus.Settling ? PayoutStatus.Returned : throw new InvalidOperationException($"Payout {Id} is {Status}.");
}
