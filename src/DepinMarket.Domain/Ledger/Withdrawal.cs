using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Ledger;

public enum WithdrawalStatus
{
    /// <summary>Tokens moved from available to settling; not yet in a payout batch, so it can still be cancelled.</summary>
    Requested,
    /// <summary>Cancelled before it was batched; the tokens went back to available.</summary>
    Cancelled,
    /// <summary>In a payout batch of the settlement worker (a later issue): no longer cancellable.</summary>
    Batched,
    /// <summary>Paid to the wallet on chain.</summary>
    Paid,
}

/// <summary>A request to pay available tokens out to the account's verified wallet.</summary>
public sealed class Withdrawal
{
    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public TokenAmount Amount { get; private set; }

    /// <summary>The verified wallet at the time of the request: where the tokens go.</summary>
    public string WalletAddress { get; private set; } = "";

    public WithdrawalStatus Status { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    public long RequestJournalId { get; private set; }

    public long? CancelJournalId { get; private set; }

    private Withdrawal()
    {
    }

    /// <summary>A new withdrawal; <paramref name="id"/> is chosen before the journal is posted, which names it.</summary>
    public static Withdrawal Request(Guid id, Guid accountId, TokenAmount amount, string wallet, long journalId, DateTimeOffset now)
    {
        if (amount.IsZero)
        {
            throw ValidationFailedException.For("amount", "must be more than zero.");
        }
        return new Withdrawal
        {
            Id = id,
            AccountId = accountId,
            Amount = amount,
            WalletAddress = wallet,
            Status = WithdrawalStatus.Requested,
            RequestedAt = now,
            RequestJournalId = journalId,
        };
    }

    /// <summary>Records the cancellation; only a withdrawal not yet in a payout batch can be cancelled.</summary>
    /// <exception cref="DomainException">Conflict: already cancelled, batched or paid.</exception>
    public void Cancel(long journalId, DateTimeOffset now)
    {
        EnsureCancellable();
        Status = WithdrawalStatus.Cancelled;
        CancelJournalId = journalId;
        CancelledAt = now;
    }

    /// <exception cref="DomainException">Conflict: already cancelled, batched or paid.</exception>
    public void EnsureCancellable()
    {
        if (Status != WithdrawalStatus.Requested)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Withdrawal cannot be cancelled.",
                $"Withdrawal {Id} is {Status.ToString().ToLowerInvariant()}; only a requested withdrawal, not yet in a payout batch, can be cancelled.");
        }
    }

    /// <summary>Taken into a payout batch: from now on it cannot be cancelled.</summary>
    public void Batch() => Status = Status == WithdrawalStatus.Requested
        ? WithdrawalStatus.Batched
        : throw new InvalidOperationException($"Withdrawal {Id} is {Status}; only a requested one is batched.");

    /// <summary>Its batch was confirmed on chain.</summary>
    public void Paid() => Status = Status == WithdrawalStatus.Batched
        ? WithdrawalStatus.Paid
        : throw new InvalidOperationException($"Withdrawal {Id} is {Status}; only a batched one is paid.");

    /// <summary>Its batch reverted: it is requested again (its money never left settling) and goes into the next run.</summary>
    public void Unbatch() => Status = Status == WithdrawalStatus.Batched
        ? WithdrawalStatus.Requested
        : throw new InvalidOperationException($"Withdrawal {Id} is {Status}; only a batched one returns to requested.");

    /// <summary>The journal reference of both the request and its cancellation.</summary>
    public static string ReferenceFor(Guid id) => $"withdrawal:{id}";
}
