using System.Globalization;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.StorageProofs;

/// <summary>32-byte hashes as the API writes them: "0x" and 64 lower-case hex digits.</summary>
public static class StorageHex
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static string Of(byte[] hash) => "0x" + Convert.ToHexStringLower(hash);

    /// <exception cref="ValidationFailedException">Not 0x and 64 hex digits; the field is named.</exception>
    public static byte[] Parse32(string? text, string field)
    {
        if (text is { Length: 66 } && text.StartsWith("0x", StringComparison.Ordinal)
            && !text.AsSpan(2).ContainsAnyExcept(HexDigits))
        {
            return Convert.FromHexString(text.AsSpan(2));
        }
        throw ValidationFailedException.For(field, $"must be 0x and 64 hex digits (a 32-byte hash); got {Describe(text)}.");
    }

    private static string Describe(string? text) => text is null ? "nothing" : text.Length > 80
        ? $"{text.Length.ToString(CultureInfo.InvariantCulture)} characters"
        : $"\"{text}\"";
}
