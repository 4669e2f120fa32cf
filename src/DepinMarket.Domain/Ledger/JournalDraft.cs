using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Ledger;

/// <summary>
/// A journal ready to post: a kind, a reference and at least two postings that sum to zero, each a non-zero change
/// to a different ledger account.
/// Built only through <see cref="Create"/>, so an unbalanced journal never reaches the database.
/// </summary>
public sealed class JournalDraft
{
    public const int MaxReferenceLength = 200;


    public JournalKind Kind { get; }

    public string Reference { get; }

    /// <summary>The reference is an outside fact ("txhash:logindex"): the database posts it once per kind.</summary>
    public bool External { get; }

    public IReadOnlyList<PostingDraft> Postings { get; }

    private JournalDraft(JournalKind kind, string reference, bool external, IReadOnlyList<PostingDraft> postings)
    {
        Kind = kind;
        Reference = reference;
        External = external;
        Postings = postings;
    }

    /// <exception cref="ArgumentException">The journal breaks a rule of double entry; the message says which.</exception>
    public static JournalDraft Create(JournalKind kind, string reference, bool external, IEnumerable<PostingDraft> postings)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length is 0 or > MaxReferenceLength || ControlCharacters.AreIn(reference))
        {
            throw new ArgumentException($"A journal reference must be 1 to {MaxReferenceLength} characters without control characters; got \"{reference}\".", nameof(reference));
        }
        var lines = postings.ToArray();
        if (lines.Length < 2)
        {
            throw new ArgumentException($"A journal needs at least two postings; got {lines.Length}.", nameof(postings));
        }
        foreach (var zero in lines.Where(p => p.Amount.IsZero))
        {
            throw new ArgumentException($"A posting must move tokens; the one to ledger account {zero.LedgerAccountId} is zero.", nameof(postings));
        }
        // One posting per ledger account: each line's balance-after is then the account's new balance, never an
        // intermediate value that could dip below zero.
        var repeated = lines.GroupBy(p => p.LedgerAccountId).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"A journal posts to each ledger account once; ledger account {repeated.Key} appears {repeated.Count()} times.", nameof(postings));
        }
        var total = TokenDelta.Sum(lines.Select(p => p.Amount));
        if (!total.IsZero)
        {
            throw new ArgumentException($"A journal's postings must sum to zero; these sum to {total}.", nameof(postings));
        }
        return new JournalDraft(kind, reference, external, lines);
    }

    /// <summary>The usual journal: <paramref name="amount"/> from one ledger account to another.</summary>
    public static JournalDraft Transfer(JournalKind kind, string reference, long from, long to, TokenAmount amount, bool external = false) =>
        Create(kind, reference, external, [new PostingDraft(from, TokenDelta.Debit(amount)), new PostingDraft(to, TokenDelta.Credit(amount))]);

    /// <summary>The change per ledger account.</summary>
    public IReadOnlyDictionary<long, TokenDelta> NetChanges() => Postings.ToDictionary(p => p.LedgerAccountId, p => p.Amount);
}
