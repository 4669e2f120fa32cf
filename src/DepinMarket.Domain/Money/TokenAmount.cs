using System.Numerics;

namespace DepinMarket.Domain.Money;

/// <summary>
/// An amount of the marketplace token in base units (the token has 18 decimals, like ether): never
/// negative and never more than a uint256 holds (0 .. 2^256-1 base units), so every amount we keep can be
/// paid out on chain. Integers only: a <see cref="double"/> cannot hold 10^-18 steps exactly, and money must
/// add up exactly. Arithmetic is checked: a result outside the range throws instead of wrapping or going
/// negative. A signed change (a ledger posting) is a <see cref="TokenDelta"/>.
/// On the wire it is a decimal string in whole tokens ("2.5"), never a JSON number, so no client parser rounds it.
/// </summary>
/// <remarks>A wrapper around one <see cref="BigInteger"/>: as cheap to copy as the number itself.</remarks>
public readonly partial record struct TokenAmount : IComparable<TokenAmount>, IComparable
{
    public const int Decimals = TokenText.Decimals;

    /// <summary>2^256-1: the largest value a uint256 holds; stored as numeric(78,0).</summary>
    public static readonly BigInteger MaxBaseUnits = TokenText.MaxBaseUnits;

    public static TokenAmount Zero => default;

    public static TokenAmount MaxValue { get; } = new(MaxBaseUnits);

    /// <summary>The amount in base units, 0 .. 2^256-1.</summary>
    public BigInteger BaseUnits { get; }

    /// <exception cref="ArgumentOutOfRangeException">Below zero or above 2^256-1 base units.</exception>
    public TokenAmount(BigInteger baseUnits)
    {
        if (!InRange(baseUnits))
        {
            throw new ArgumentOutOfRangeException(nameof(baseUnits), baseUnits,
                $"A token amount must be between 0 and {TokenText.MaxText}; got {baseUnits} base units.");
        }
        BaseUnits = baseUnits;
    }

    public static bool TryFromBaseUnits(BigInteger baseUnits, out TokenAmount amount)
    {
        amount = InRange(baseUnits) ? new TokenAmount(baseUnits) : Zero;
        return InRange(baseUnits);
    }

    public bool IsZero => BaseUnits.IsZero;

    /// <exception cref="ArgumentOutOfRangeException">A negative number of tokens.</exception>
    public static TokenAmount FromWholeTokens(long tokens) => new(tokens * TokenText.OneToken);

    /// <exception cref="OverflowException">The sum is above 2^256-1 base units.</exception>
    public static TokenAmount operator +(TokenAmount a, TokenAmount b)
    {
        var sum = a.BaseUnits + b.BaseUnits;
        return sum <= MaxBaseUnits ? new(sum) : throw AboveMax("addition", $"{a} + {b}");
    }

    /// <exception cref="OverflowException">The result would be below zero.</exception>
    public static TokenAmount operator -(TokenAmount a, TokenAmount b) =>
        a >= b ? new(a.BaseUnits - b.BaseUnits) : throw BelowZero("subtraction", $"{a} - {b}");

    /// <summary>A price times a quantity (hours, GB, GPUs).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative factor.</exception>
    /// <exception cref="OverflowException">The product is above 2^256-1 base units.</exception>
    public static TokenAmount operator *(TokenAmount amount, BigInteger factor)
    {
        if (factor.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"A token amount can only be multiplied by a factor of zero or more; got {factor}.");
        }
        var product = amount.BaseUnits * factor;
        return product <= MaxBaseUnits ? new(product) : throw AboveMax("multiplication", $"{amount} × {factor}");
    }

    /// <inheritdoc cref="op_Multiply(TokenAmount, BigInteger)"/>
    public static TokenAmount operator *(BigInteger factor, TokenAmount amount) => amount * factor;

    /// <summary>Applies a signed change, e.g. a posting to a balance.</summary>
    /// <exception cref="OverflowException">The result would be below zero or above 2^256-1 base units.</exception>
    public static TokenAmount operator +(TokenAmount amount, TokenDelta delta)
    {
        var result = amount.BaseUnits + delta.BaseUnits;
        return result.Sign < 0 ? throw BelowZero("addition", $"{amount} + ({delta})")
            : result > MaxBaseUnits ? throw AboveMax("addition", $"{amount} + ({delta})")
            : new(result);
    }

    /// <summary>
    /// The exact total. Only the total must be in range: the sum is taken in unbounded integers, so the order
    /// of the amounts never matters.
    /// </summary>
    /// <exception cref="OverflowException">The total is above 2^256-1 base units.</exception>
    public static TokenAmount Sum(IEnumerable<TokenAmount> amounts)
    {
        var total = BigInteger.Zero;
        foreach (var amount in amounts)
        {
            total += amount.BaseUnits;
        }
        return total <= MaxBaseUnits ? new(total) : throw AboveMax("addition", $"the sum of the amounts ({total} base units)");
    }

    public static bool operator <(TokenAmount a, TokenAmount b) => a.BaseUnits < b.BaseUnits;

    public static bool operator >(TokenAmount a, TokenAmount b) => a.BaseUnits > b.BaseUnits;

    public static bool operator <=(TokenAmount a, TokenAmount b) => a.BaseUnits <= b.BaseUnits;

    public static bool operator >=(TokenAmount a, TokenAmount b) => a.BaseUnits >= b.BaseUnits;

    public int CompareTo(TokenAmount other) => BaseUnits.CompareTo(other.BaseUnits);

    int IComparable.CompareTo(object? obj) => obj is TokenAmount other
        ? CompareTo(other)
        : throw new ArgumentException($"Cannot compare a token amount with {obj?.GetType().Name ?? "null"}.", nameof(obj));

    /// <summary>
    /// Parses a non-negative decimal string in whole tokens: digits, optionally a point and at most 18
    /// more digits. No sign, exponent, spaces or thousands separators: each would be a guess.
    /// <paramref name="error"/> says why a string was refused, phrased to follow a field name
    /// ("pricePerGpuHour has 19 decimals; ...").
    /// </summary>
    public static bool TryParse(string? text, out TokenAmount amount, out string error)
    {
        amount = Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = "must be a decimal string of whole tokens, such as \"2.5\"; got an empty string.";
            return false;
        }
        if (text[0] == '-')
        {
            error = $"must not be negative; got \"{text}\".";
            return false;
        }
        if (!TokenText.TryParseMagnitude(text, text, out var baseUnits, out error))
        {
            return false;
        }
        amount = new TokenAmount(baseUnits);
        return true;
    }

    /// <exception cref="FormatException">The text is not a token amount; the message says why.</exception>
    public static TokenAmount Parse(string text) =>
        TryParse(text, out var amount, out var error) ? amount : throw new FormatException($"Token amount {error}");

    /// <summary>Whole tokens with no trailing zeros: 2500000000000000000 base units is "2.5".</summary>
    public override string ToString() => TokenText.FormatMagnitude(BaseUnits);

    private static bool InRange(BigInteger baseUnits) => baseUnits.Sign >= 0 && baseUnits <= MaxBaseUnits;

    // Messages are built only when thrown: formatting both operands on every sum would cost more than the sum.
    private static OverflowException BelowZero(string operation, string expression) =>
        new($"Token amount {operation} would go below zero: {expression}. An amount cannot be negative; use TokenDelta for signed changes.");

    private static OverflowException AboveMax(string operation, string expression) =>
        new($"Token amount {operation} overflows: {expression} is above the largest amount the token can hold ({TokenText.MaxText}).");
}
