using System.Globalization;
using System.Numerics;

namespace DepinMarket.Domain.Money;

/// <summary>
/// An amount of the marketplace token in base units (the token has 18 decimals, like ether).
/// Integers only: a <see cref="double"/> cannot hold 10^-18 steps exactly, and money must add up exactly.
/// On the wire it is a decimal string in whole tokens ("2.5"), never a JSON number, so no client
/// parser rounds it.
/// </summary>
public readonly record struct TokenAmount(BigInteger BaseUnits) : IComparable<TokenAmount>
{
    public const int Decimals = 18;

    /// <summary>Large enough for any uint256 the chain can hold; stored as numeric(78,0).</summary>
    public static readonly BigInteger MaxBaseUnits = BigInteger.Pow(2, 256) - 1;

    private static readonly BigInteger OneToken = BigInteger.Pow(10, Decimals);

    public static TokenAmount Zero => new(BigInteger.Zero);

    public bool IsZero => BaseUnits.IsZero;

    public static TokenAmount FromWholeTokens(long tokens) => new(tokens * OneToken);

    public static TokenAmount operator +(TokenAmount a, TokenAmount b) => new(a.BaseUnits + b.BaseUnits);

    public static TokenAmount operator -(TokenAmount a, TokenAmount b) => new(a.BaseUnits - b.BaseUnits);

    public static bool operator <(TokenAmount a, TokenAmount b) => a.BaseUnits < b.BaseUnits;

    public static bool operator >(TokenAmount a, TokenAmount b) => a.BaseUnits > b.BaseUnits;

    public static bool operator <=(TokenAmount a, TokenAmount b) => a.BaseUnits <= b.BaseUnits;

    public static bool operator >=(TokenAmount a, TokenAmount b) => a.BaseUnits >= b.BaseUnits;

    public int CompareTo(TokenAmount other) => BaseUnits.CompareTo(other.BaseUnits);

    /// <summary>
    /// Parses a non-negative decimal string in whole tokens: digits, optionally a point and at most 18
    /// more digits. No sign, exponent, spaces or thousands separators: each would be a guess.
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

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? string.Empty : text[(point + 1)..];
        if (whole.Length == 0 || !IsDigits(whole) || (point >= 0 && (fraction.Length == 0 || !IsDigits(fraction))))
        {
            error = $"must be a decimal string of whole tokens, such as \"2.5\"; got \"{text}\".";
            return false;
        }
        if (fraction.Length > Decimals)
        {
            error = $"has {fraction.Length} decimals; the token has at most {Decimals}.";
            return false;
        }

        var baseUnits = BigInteger.Parse(whole + fraction.PadRight(Decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        if (baseUnits > MaxBaseUnits)
        {
            error = "is larger than the largest amount the token can hold (2^256-1 base units).";
            return false;
        }
        amount = new TokenAmount(baseUnits);
        error = string.Empty;
        return true;
    }

    public static TokenAmount Parse(string text) =>
        TryParse(text, out var amount, out var error) ? amount : throw new FormatException($"Token amount {error}");

    /// <summary>Whole tokens with no trailing zeros: 2500000000000000000 base units is "2.5".</summary>
    public override string ToString()
    {
        var whole = BigInteger.DivRem(BaseUnits, OneToken, out var remainder);
        if (remainder.IsZero)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        var fraction = remainder.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        return $"{whole.ToString(CultureInfo.InvariantCulture)}.{fraction}";
    }

    private static bool IsDigits(string s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }
}
