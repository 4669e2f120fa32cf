using System.Text.RegularExpressions;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// Removes secrets from text that may reach a log or a response: anything shaped like one of our API keys
/// (the public prefix is kept, so a key can still be told apart from others), webhook signing secrets, and the value of any query
/// parameter whose name says it holds a secret (?api_key=, ?token=, ?apikey=...). Clients put keys in URLs
/// by mistake, and URLs are what servers log.
/// </summary>
public static partial class SecretRedaction
{
    public const string Redacted = "[redacted]";

    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var redacted = ApiKeyShape().Replace(text, m => $"dpm_{m.Groups[1].Value}_{Redacted}");
        redacted = WebhookSecretShape().Replace(redacted, $"whsec_{Redacted}");
        return SecretQueryParameter().Replace(redacted, m => $"{m.Groups[1].Value}={Redacted}");
    }

    // The secret part of a key is base64url; a key cut short or padded still leaks what it carries.
    [GeneratedRegex("dpm_([0-9a-fA-F]{1,16})_[A-Za-z0-9_\\-%]+")]
    private static partial Regex ApiKeyShape();

    // A webhook signing secret (Standard Webhooks: "whsec_" and base64).
    [GeneratedRegex("whsec_[A-Za-z0-9+/=%]+")]
    private static partial Regex WebhookSecretShape();

    [GeneratedRegex("((?:[?&;]|%3F|%26)[^=&\\s]*(?:key|token|secret|password|signature|auth)[^=&\\s]*)=[^&\\s#]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQueryParameter();
}
