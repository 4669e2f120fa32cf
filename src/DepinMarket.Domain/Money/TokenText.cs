using System.Globalization;
using System.Numerics;

namespace DepinMarket.Domain.Money;

/// <summary>
/// The decimal-string form of a token quantity, written once for <see cref="TokenAmount"/> and
/// <see cref="TokenDelta"/>: whole tokens, a point and at most 18 more digits. Only magnitudes live here,
/// so a sign can be written in exactly one place (the old "-1.-5" came from formatting a signed value in two).
/// </summary>
internal static class TokenText
{
    public const int Decimals = 18;

    public static readonly BigInteger OneToken = BigInteger.Pow(10, Decimals);

    /// <summary>2^256-1: the largest value a uint256 on the chain holds, and so the largest magnitude we allow.</summary>
    public static readonly BigInteger MaxBaseUnits = BigInteger.Pow(2, 256) - 1;

    public const string MaxText = "2^256-1 base units";

    /// <summary>
    /// Parses an unsigned decimal string: digits, optionally a point and at most 18 more digits. No sign,
    /// exponent, spaces or thousands separators: each would be a guess. <paramref name="text"/> is what the
    /// caller received, quoted in errors; <paramref name="digits"/> is the part after any sign the caller took off.
    /// </summary>
    public static bool TryParseMagnitude(string text, ReadOnlySpan<char> digits, out BigInteger baseUnits, out string error)
    {
        baseUnits = BigInteger.Zero;
        var point = digits.IndexOf('.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? [] : digits[(point + 1)..];
        if (whole.IsEmpty || !IsDigits(whole) || (point >= 0 && (fraction.IsEmpty || !IsDigits(fraction))))
        {
            error = $"must be a decimal string of whole tokens, such as \"2.5\"; got \"{text}\".";
            return false;
        }
        if (fraction.Length > Decimals)
        {
            error = $"has {fraction.Length} decimals; the token has at most {Decimals}.";
            return false;
        }

        var scaled = string.Concat(whole, fraction, new string('0', Decimals - fraction.Length));
        baseUnits = BigInteger.Parse(scaled, NumberStyles.None, CultureInfo.InvariantCulture);
        if (baseUnits > MaxBaseUnits)
        {
            baseUnits = BigInteger.Zero;
            error = $"is larger than the largest amount the token can hold ({MaxText}).";
            return false;
        }
        error = string.Empty;
        return true;
    }

    /// <summary>Whole tokens with no trailing zeros: 2500000000000000000 base units is "2.5".</summary>
    public static string FormatMagnitude(BigInteger baseUnits)
    {
        var whole = BigInteger.DivRem(baseUnits, OneToken, out var remainder);
        if (remainder.IsZero)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        var fraction = remainder.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        return $"{whole.ToString(CultureInfo.InvariantCulture)}.{fraction}";
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
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
