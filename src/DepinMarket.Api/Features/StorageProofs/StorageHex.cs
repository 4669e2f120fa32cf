using System.Globalization;
using DepinMarket.Chain.Hex;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.StorageProofs;

/// <summary>32-byte hashes as the API writes them: "0x" and 64 lower-case hex digits (the chain library's hex rules).</summary>
public static class StorageHex
{
    public static string Of(byte[] hash) => hash.ToHex(prefix: true);

    /// <exception cref="ValidationFailedException">Not 0x and 64 hex digits; the field is named.</exception>
    public static byte[] Parse32(string? text, string field) =>
        text is { Length: 66 } && text.HasHexPrefix() && text.IsHex()
            ? text.HexToByteArray()
            : throw ValidationFailedException.For(field, $"must be 0x and 64 hex digits (a 32-byte hash); got {Describe(text)}.");

    private static string Describe(string? text) => text is null ? "nothing" : text.Length > 80
        ? $"{text.Length.ToString(CultureInfo.InvariantCulture)} characters"
        : $"\"{text}\"";
}
