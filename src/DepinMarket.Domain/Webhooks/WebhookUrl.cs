namespace DepinMarket.Domain.Webhooks;

/// <summary>
/// What an endpoint URL must be: absolute http or https, a host, no user name or password (they would travel in
/// every delivery and show in the delivery log), no fragment, at most 2,000 characters. Whether its host may be
/// reached (not a private address) is decided when delivering, after DNS, where a rebinding name cannot dodge it.
/// </summary>
public static class WebhookUrl
{
    public const int MaxLength = 2000;

    public static void Check(string? url, Validation validation, string field = "url")
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            validation.Add(field, "is required: the absolute http(s) URL deliveries are POSTed to.");
            return;
        }
        if (url.Length > MaxLength)
        {
            validation.Add(field, $"must be at most {MaxLength} characters; got {url.Length}.");
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            validation.Add(field, $"must be an absolute http or https URL such as https://hooks.example.com/depin; got \"{url}\".");
            return;
        }
        if (uri.UserInfo.Length > 0)
        {
            validation.Add(field, "must not carry a user name or password; the signature tells you a delivery is ours.");
        }
        if (uri.Fragment.Length > 0)
        {
            validation.Add(field, "must not have a fragment (#...): it is never sent to the server.");
        }
    }
}
