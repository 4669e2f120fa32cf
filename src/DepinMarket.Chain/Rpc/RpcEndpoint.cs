using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DepinMarket.Chain.Rpc;

/// <summary>
/// An RPC endpoint as it may be shown: hosted providers put their API key in the URL's path
/// (<c>https://eth-sepolia.g.alchemy.com/v2/KEY</c>), query (<c>?apikey=KEY</c>) or userinfo
/// (<c>https://user:pass@host/</c>), so only <c>scheme://host:port/***</c> ever leaves this type. It also scrubs those
/// secret parts out of texts that could echo them (a node's error message, a proxy's exception).
/// </summary>
public sealed class RpcEndpoint
{
    // Path segments and query parts shorter than this ("v2", "v3", "rpc") are not keys; scrubbing them would only
    // mangle messages.
    private const int MinimumFragmentLength = 4;

    private readonly string[] _secrets;

    /// <summary>The endpoint at <paramref name="url"/>, which must be absolute.</summary>
    public RpcEndpoint(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            // The URL itself stays out of the message: it may hold the key.
            throw new ArgumentException("The RPC endpoint must be an absolute URL.", nameof(url));
        }

        Redacted = string.Create(CultureInfo.InvariantCulture, $"{url.Scheme}://{url.Host}:{url.Port}/***");
        _secrets = SecretsOf(url);
    }

    /// <summary><c>scheme://host:port/***</c>: no userinfo, path, query or fragment.</summary>
    public string Redacted { get; }

    /// <summary>The redacted form of <paramref name="url"/>, or a placeholder when there is no absolute URL.</summary>
    public static string Redact(Uri? url) => url is { IsAbsoluteUri: true } ? new RpcEndpoint(url).Redacted : "(no absolute URL)";

    /// <summary><paramref name="text"/> with every secret part of the URL replaced by <c>***</c>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    /// <summary>True when <paramref name="text"/> contains a secret part of the URL.</summary>
    public bool Leaks(string? text) =>
        !string.IsNullOrEmpty(text) && _secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <paramref name="exception"/> itself when neither it nor its inner exceptions mention a secret part of the URL,
    /// otherwise a replacement of the same kind carrying only the scrubbed message (the chain below it is dropped,
    /// since any of it could repeat the URL).
    /// </summary>
    [return: NotNullIfNotNull(nameof(exception))]
    public Exception? Sanitize(Exception? exception) => exception is null || !Leaks(exception.ToString())
        ? exception
        : exception switch
        {
            HttpRequestException http => new HttpRequestException(Scrub(http.Message), null, http.StatusCode),
            OperationCanceledException => new OperationCanceledException(Scrub(exception.Message)),
            _ => new InvalidOperationException(Scrub(exception.Message)),
        };

    /// <inheritdoc />
    public override string ToString() => Redacted;

    private static string[] SecretsOf(Uri url)
    {
        // A bare "/" (no path) is no secret, and scrubbing it would replace every slash.
        var whole = new[] { url.OriginalString, url.AbsoluteUri, url.PathAndQuery + url.Fragment, url.AbsolutePath, url.Query, url.Fragment, url.UserInfo }
            .Where(w => w.Length > 1);
        var parts = url.UserInfo.Split(':')
            .Concat(url.Segments.Select(s => s.Trim('/')))
            .Concat(url.Query.TrimStart('?').Split('&', '='))
            .Concat(url.Fragment.TrimStart('#').Split('&', '='))
            .Where(part => part.Length >= MinimumFragmentLength);

        // Longest first, so a whole URL is replaced before its parts; escaped and unescaped forms both.
        return whole.Concat(parts)
            .SelectMany(s => new[] { s, Uri.UnescapeDataString(s) })
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }
}
