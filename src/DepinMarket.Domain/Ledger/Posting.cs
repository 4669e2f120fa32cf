using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Ledger;

/// <summary>One line of a journal to post: a signed change to one ledger account (a credit adds, a debit takes).</summary>
public readonly record struct PostingDraft(long LedgerAccountId, TokenDelta Amount);

/// <summary>A posted line, as stored: the change and the ledger account's balance right after it.</summary>
public sealed class Posting
{
    public long Id { get; private set; }

    public long JournalId { get; private set; }

    public long LedgerAccountId { get; private set; }

    public TokenDelta Amount { get; private set; }

    public TokenDelta BalanceAfter { get; private set; }

    private Posting()
    {
    }
}

/// <summary>A posted journal, as stored.</summary>
public sealed class Journal
{
    public long Id { get; private set; }

    public JournalKind Kind { get; private set; }

    public string Reference { get; private set; } = "";

    /// <summary>The reference names an outside fact (a chain log), so it is posted at most once per kind.</summary>
    public bool External { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    private Journal()
    {
    }
}

/// <summary>
/// A ledger account. Its balance changes only through the posting service (relative updates under row locks),
/// never by loading and saving this object.
/// </summary>
public sealed class LedgerAccount
{
    public long Id { get; private set; }

    /// <summary>The market account it belongs to; null for the platform's accounts.</summary>
    public Guid? AccountId { get; private set; }

    public LedgerAccountKind Kind { get; private set; }

    public TokenDelta Balance { get; private set; }

    private LedgerAccount()
    {
    }
}
