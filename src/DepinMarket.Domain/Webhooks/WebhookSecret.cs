using System.Security.Cryptography;

namespace DepinMarket.Domain.Webhooks;

/// <summary>
/// An endpoint's signing secret in the Standard Webhooks format: "whsec_" and the base64 of 32 random bytes. The
/// HMAC key is the decoded bytes, not the text; receivers' libraries (svix, standardwebhooks) expect exactly this.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    private const int KeyBytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The HMAC key a secret stands for.</summary>
    /// <exception cref="FormatException">The text is not "whsec_" and base64.</exception>
    public static byte[] KeyOf(string secret) =>
        secret.StartsWith(Prefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[Prefix.Length..])
            : throw new FormatException("A webhook secret starts with \"whsec_\".");
}
