using System.Security.Cryptography;
using System.Text;

namespace DepinMarket.Domain.Nodes;

/// <summary>
/// A node's credential: "dmn_" + a public prefix (16 hex characters, stored, finds the node) + "_" + a 256-bit secret
/// (base64url). Only the SHA-256 of the whole token is stored. The "dmn_" marker tells it apart from an API key
/// ("dpm_") and lets secret scanners recognise a leaked one.
/// </summary>
public sealed record NodeToken(string Text, string Prefix, byte[] Hash)
{
    public const string Marker = "dmn_";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static NodeToken Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var text = $"{Marker}{prefix}_{secret}";
        return new NodeToken(text, prefix, HashOf(text));
    }

    public static byte[] HashOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool LooksLikeOne(string text) => text.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>The prefix, or null when the text is not shaped like a node token.</summary>
    public static string? PrefixOf(string token) =>
        LooksLikeOne(token) && token.Length > Marker.Length + 17 && token[Marker.Length + 16] == '_'
        && !token.AsSpan(Marker.Length, 16).ContainsAnyExcept(LowerHex)
            ? token.Substring(Marker.Length, 16)
            : null;
}
