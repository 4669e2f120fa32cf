using System.Numerics;

namespace DepinMarket.Domain.Money;

/// <summary>
/// A signed change in token base units: one posting of a ledger journal. A credit adds to the balance of
/// the ledger account it is posted to, a debit takes from it; a journal's postings sum to zero. Its
/// magnitude is at most 2^256-1 base units, like <see cref="TokenAmount"/>, so every posting is an amount the
/// chain could move. Arithmetic is checked. Written as a decimal string with at most one leading '-' ("-1.5").
/// </summary>
public readonly record struct TokenDelta : IComparable<TokenDelta>, IComparable
{
    public static TokenDelta Zero => default;

    /// <summary>The change in base units, -(2^256-1) .. 2^256-1.</summary>
    public BigInteger BaseUnits { get; }

    /// <exception cref="ArgumentOutOfRangeException">The magnitude is above 2^256-1 base units.</exception>
    public TokenDelta(BigInteger baseUnits)
    {
        if (BigInteger.Abs(baseUnits) > TokenText.MaxBaseUnits)
        {
            throw new ArgumentOutOfRangeException(nameof(baseUnits), baseUnits,
                $"A token delta must be between -({TokenText.MaxText}) and {TokenText.MaxText}; got {baseUnits} base units.");
        }
        BaseUnits = baseUnits;
    }

    /// <summary>A change that adds <paramref name="amount"/> to the balance it is posted to.</summary>
    public static TokenDelta Credit(TokenAmount amount) => new(amount.BaseUnits);

    /// <summary>A change that takes <paramref name="amount"/> from the balance it is posted to.</summary>
    public static TokenDelta Debit(TokenAmount amount) => new(-amount.BaseUnits);

    public bool IsZero => BaseUnits.IsZero;

    /// <summary>-1 for a debit, 0 for no change, 1 for a credit.</summary>
    public int Sign => BaseUnits.Sign;

    /// <summary>How much changes hands, whichever way.</summary>
    public TokenAmount Magnitude => new(BigInteger.Abs(BaseUnits));

    /// <summary>The opposite posting; always in range, since the range is symmetric.</summary>
    public static TokenDelta operator -(TokenDelta delta) => new(-delta.BaseUnits);

    /// <exception cref="OverflowException">The magnitude of the sum is above 2^256-1 base units.</exception>
    public static TokenDelta operator +(TokenDelta a, TokenDelta b) => Checked(a.BaseUnits + b.BaseUnits, "addition", a, "+", b);

    /// <exception cref="OverflowException">The magnitude of the difference is above 2^256-1 base units.</exception>
    public static TokenDelta operator -(TokenDelta a, TokenDelta b) => Checked(a.BaseUnits - b.BaseUnits, "subtraction", a, "-", b);

    /// <summary>
    /// The exact total of a set of postings (a journal sums to <see cref="Zero"/>). Only the total must be in
    /// range: the sum is taken in unbounded integers, so +max, +max, -max, -max sums to zero in any order.
    /// </summary>
    /// <exception cref="OverflowException">The magnitude of the total is above 2^256-1 base units.</exception>
    public static TokenDelta Sum(IEnumerable<TokenDelta> deltas)
    {
        var total = BigInteger.Zero;
        foreach (var delta in deltas)
        {
            total += delta.BaseUnits;
        }
        return BigInteger.Abs(total) <= TokenText.MaxBaseUnits
            ? new TokenDelta(total)
            : throw new OverflowException($"Token delta addition overflows: the sum of the postings ({total} base units) is beyond ±({TokenText.MaxText}).");
    }

    /// <summary>The amount as a credit.</summary>
    public static explicit operator TokenDelta(TokenAmount amount) => Credit(amount);

    /// <summary>A credit or no change as an amount.</summary>
    /// <exception cref="OverflowException">A debit: an amount cannot be negative.</exception>
    public static explicit operator TokenAmount(TokenDelta delta) => delta.Sign >= 0
        ? new TokenAmount(delta.BaseUnits)
        : throw new OverflowException($"Token delta {delta} is a debit and cannot become a token amount; an amount cannot be negative (use Magnitude for its size).");

    public static bool operator <(TokenDelta a, TokenDelta b) => a.BaseUnits < b.BaseUnits;

    public static bool operator >(TokenDelta a, TokenDelta b) => a.BaseUnits > b.BaseUnits;

    public static bool operator <=(TokenDelta a, TokenDelta b) => a.BaseUnits <= b.BaseUnits;

    public static bool operator >=(TokenDelta a, TokenDelta b) => a.BaseUnits >= b.BaseUnits;

    public int CompareTo(TokenDelta other) => BaseUnits.CompareTo(other.BaseUnits);

    int IComparable.CompareTo(object? obj) => obj is TokenDelta other
        ? CompareTo(other)
        : throw new ArgumentException($"Cannot compare a token delta with {obj?.GetType().Name ?? "null"}.", nameof(obj));

    /// <summary>
    /// Parses a signed decimal string in whole tokens: an optional single leading '-', then digits,
    /// optionally a point and at most 18 more digits. No '+', exponent or spaces. "-0" is zero.
    /// </summary>
    public static bool TryParse(string? text, out TokenDelta delta, out string error)
    {
        delta = Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = "must be a signed decimal string of whole tokens, such as \"-2.5\"; got an empty string.";
            return false;
        }
        var negative = text[0] == '-';
        if (!TokenText.TryParseMagnitude(text, negative ? text.AsSpan(1) : text, out var magnitude, out error))
        {
            return false;
        }
        delta = new TokenDelta(negative ? -magnitude : magnitude);
        return true;
    }

    /// <exception cref="FormatException">The text is not a token delta; the message says why.</exception>
    public static TokenDelta Parse(string text) =>
        TryParse(text, out var delta, out var error) ? delta : throw new FormatException($"Token delta {error}");

    /// <summary>Whole tokens, one leading '-' for a debit, no trailing zeros: "-1.5", "2", "0".</summary>
    public override string ToString() => Sign < 0
        ? "-" + TokenText.FormatMagnitude(-BaseUnits)
        : TokenText.FormatMagnitude(BaseUnits);

    private static TokenDelta Checked(BigInteger result, string operation, TokenDelta a, string symbol, TokenDelta b) =>
        BigInteger.Abs(result) <= TokenText.MaxBaseUnits
            ? new TokenDelta(result)
            : throw new OverflowException($"Token delta {operation} overflows: ({a}) {symbol} ({b}) is beyond ±({TokenText.MaxText}).");
}
