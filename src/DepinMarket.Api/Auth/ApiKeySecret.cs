using System.Security.Cryptography;
using System.Text;

namespace DepinMarket.Api.Auth;

/// <summary>
/// The shape of an API key: "dpm_" + a public prefix (16 hex chars, stored, used to find the row) + "_" +
/// a 256-bit secret (base64url). The "dpm_" marker lets secret scanners recognise leaked keys.
/// </summary>
public static class ApiKeySecret
{
    private const string Marker = "dpm_";

    public static (string Key, string Prefix, byte[] Hash) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = $"{Marker}{prefix}_{secret}";
        return (key, prefix, Hash(key));
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Extracts the prefix, or null when the text is not shaped like one of our keys.</summary>
    public static string? PrefixOf(string key)
    {
        if (!key.StartsWith(Marker, StringComparison.Ordinal) || key.Length < Marker.Length + 17 || key[Marker.Length + 16] != '_')
        {
            return null;
        }
        return key.Substring(Marker.Length, 16);
    }

    /// <summary>
    /// Constant-time comparison of the presented key's hash (<see cref="Hash"/>, computed once per request) with a
    /// stored one, so response timing does not leak how much of a hash matched.
    /// </summary>
    public static bool Matches(byte[] presentedHash, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);
}
