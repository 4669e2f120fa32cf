using System.Security.Cryptography;
using System.Text;

namespace DepinMarket.Domain.Webhooks;

/// <summary>
/// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}"
/// with the endpoint's key, sent as "v1," and the base64 of the MAC in the webhook-signature header. The timestamp
/// is signed so a captured delivery cannot be replayed later; receivers refuse one outside a few minutes of their clock.
/// </summary>
public static class WebhookSignature
{
    public const string Version = "v1";

    public static string Sign(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"{Version},{Convert.ToBase64String(HMACSHA256.HashData(key, signed))}";
    }

    /// <summary>
    /// What a receiver checks: the timestamp within <paramref name="tolerance"/> of <paramref name="now"/> and one of
    /// the space-separated signatures in <paramref name="signatureHeader"/> equal (in constant time) to ours.
    /// </summary>
    public static bool Verify(byte[] key, string messageId, string timestamp, string signatureHeader, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(key, messageId, seconds, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }
}
