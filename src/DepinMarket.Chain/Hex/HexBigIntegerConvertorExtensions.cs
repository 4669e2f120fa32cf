using System.Globalization;
using System.Numerics;

namespace DepinMarket.Chain.Hex;

/// <summary>
/// Conversions between <see cref="BigInteger"/> and the big-endian / hex forms the EVM uses.
/// Ethereum integers are unsigned big-endian with no leading zeros (RLP, JSON-RPC "quantities").
/// </summary>
public static class HexBigIntegerConvertorExtensions
{
    /// <summary>Minimal big-endian unsigned bytes; zero is the empty array (the RLP and JSON-RPC convention).</summary>
    public static byte[] ToBytesForRlpEncoding(this BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Ethereum integers are unsigned.");
        }

        return value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Reads unsigned big-endian bytes (empty means zero).</summary>
    public static BigInteger ToBigIntegerFromBigEndian(this ReadOnlySpan<byte> value) =>
        new(value, isUnsigned: true, isBigEndian: true);

    /// <summary>Reads unsigned big-endian bytes (empty means zero).</summary>
    public static BigInteger ToBigIntegerFromBigEndian(this byte[] value) =>
        new(value, isUnsigned: true, isBigEndian: true);

    /// <summary>JSON-RPC quantity form: <c>0x0</c>, <c>0x1a</c>; no leading zeros.</summary>
    public static string ToHexQuantity(this BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON-RPC quantities are unsigned.");
        }

        if (value.IsZero)
        {
            return "0x0";
        }

        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true));
        return "0x" + hex.TrimStart('0');
    }

    /// <summary>JSON-RPC quantity form of a non-negative <see cref="long"/>.</summary>
    public static string ToHexQuantity(this long value) => ((BigInteger)value).ToHexQuantity();

    /// <summary>Parses an unsigned hex quantity (with or without <c>0x</c>); <c>0x</c> alone is zero.</summary>
    public static BigInteger HexToBigInteger(this string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.RemoveHexPrefix();
        if (digits.Length == 0)
        {
            return BigInteger.Zero;
        }

        // Leading "0" keeps the parser from reading a high first digit as a negative two's-complement number.
        if (!BigInteger.TryParse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var result))
        {
            throw new FormatException($"'{(hex.Length <= 80 ? hex : hex[..77] + "...")}' is not a hex quantity.");
        }

        return result;
    }
}
