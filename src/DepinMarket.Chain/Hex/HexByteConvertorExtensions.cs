namespace DepinMarket.Chain.Hex;

/// <summary>
/// Hex string &lt;-&gt; byte conversions, named like Nethereum's <c>HexByteConvertorExtensions</c>
/// so call sites read the same when Nethereum is swapped in.
/// </summary>
public static class HexByteConvertorExtensions
{
    /// <summary>Lower-case hex of <paramref name="value"/>, optionally with a <c>0x</c> prefix.</summary>
    public static string ToHex(this byte[] value, bool prefix = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ToHex((ReadOnlySpan<byte>)value, prefix);
    }

    /// <summary>Lower-case hex of <paramref name="value"/>, optionally with a <c>0x</c> prefix.</summary>
    public static string ToHex(this ReadOnlySpan<byte> value, bool prefix = false)
    {
        var hex = Convert.ToHexStringLower(value);
        return prefix ? "0x" + hex : hex;
    }

    /// <summary>
    /// Parses hex (with or without <c>0x</c>). An odd number of digits is read as if a leading zero were present
    /// (what JSON-RPC quantities look like). Anything that is not a hex digit throws <see cref="FormatException"/>:
    /// silently dropping characters would turn a typo into a different value.
    /// </summary>
    public static byte[] HexToByteArray(this string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var digits = value.RemoveHexPrefix();
        if (digits.Length == 0)
        {
            return [];
        }

        if (digits.Length % 2 == 1)
        {
            digits = "0" + digits;
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"'{Shorten(value)}' is not a hex string.", ex);
        }
    }

    /// <summary>True when <paramref name="value"/> starts with <c>0x</c> or <c>0X</c>.</summary>
    public static bool HasHexPrefix(this string value) =>
        value.Length >= 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X');

    /// <summary>The string without a leading <c>0x</c>, if it had one.</summary>
    public static string RemoveHexPrefix(this string value) => value.HasHexPrefix() ? value[2..] : value;

    /// <summary>The string with a leading <c>0x</c>, added if missing.</summary>
    public static string EnsureHexPrefix(this string value) => value.HasHexPrefix() ? value : "0x" + value;

    /// <summary>True when every character after an optional <c>0x</c> is a hex digit.</summary>
    public static bool IsHex(this string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value.RemoveHexPrefix())
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // Error messages echo the input; keep them bounded when someone posts a megabyte of garbage.
    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
