namespace DepinMarket.Domain.Auth;

/// <summary>
/// Who asks for the signature, as the sign-in message names it: the domain (an RFC 3986 authority, host[:port]),
/// which a wallet shows the user and compares with the site it is on, and the URI of that site. The domain is always
/// the URI's authority, so the two lines of the message can never name different sites.
/// </summary>
public sealed record SignInSite
{
    private SignInSite(string domain, string uri)
    {
        Domain = domain;
        Uri = uri;
    }

    public string Domain { get; }

    /// <summary>The site's absolute URI, normalised (escaped, "/" for an empty path), so it can hold no line break.</summary>
    public string Uri { get; }

    /// <summary>The site at <paramref name="address"/>, an absolute http(s) URI; its authority is the domain.</summary>
    public static SignInSite At(Uri address)
    {
        if (Problem(address) is { } problem)
        {
            throw new ArgumentException($"{address} {problem}", nameof(address));
        }
        return new SignInSite(address.Authority, address.AbsoluteUri);
    }

    /// <summary>
    /// The site an operator configured (SignIn:Domain, SignIn:Uri). Nothing configured: true with a null site (the
    /// API then names the address it serves on). Only the URI: its authority is the domain. Both: the domain must be
    /// the URI's authority. Otherwise false, with the reason in <paramref name="error"/>.
    /// </summary>
    public static bool TryConfigure(string? domain, string? uri, out SignInSite? site, out string? error)
    {
        site = null;
        error = null;
        if (string.IsNullOrWhiteSpace(uri))
        {
            if (!string.IsNullOrWhiteSpace(domain))
            {
                error = $"SignIn:Domain is set ({domain}) but SignIn:Uri is not. Set SignIn:Uri to the site's address (e.g. https://{domain.Trim()}), " +
                    "whose authority SignIn:Domain must be, or set neither to name the address the API serves on.";
            }
            return error is null;
        }
        if (!System.Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var address) || Problem(address) is not null)
        {
            error = $"SignIn:Uri must be an absolute http or https URI without user information, e.g. https://market.example.com; got \"{uri}\"" +
                (address is not null && Problem(address) is { } problem ? $", which {problem}." : ".");
            return false;
        }
        if (!string.IsNullOrWhiteSpace(domain) && !NamesAuthorityOf(domain.Trim(), address))
        {
            error = $"SignIn:Domain ({domain}) is not the authority of SignIn:Uri ({uri}), which is {address.Authority}. A wallet shows the domain and " +
                $"compares it with the site the user is on, so both must name the same site: set SignIn:Domain to {address.Authority}, or leave it out " +
                "to take it from SignIn:Uri.";
            return false;
        }
        site = At(address);
        return true;
    }

    private static string? Problem(Uri address) =>
        !address.IsAbsoluteUri ? "is not an absolute URI"
        : address.Scheme != System.Uri.UriSchemeHttp && address.Scheme != System.Uri.UriSchemeHttps ? $"has the scheme \"{address.Scheme}\", not http or https"
        : address.UserInfo.Length > 0 ? "carries user information (a name or password), which a signed message must not show"
        : address.Host.Length == 0 ? "has no host"
        : null;

    /// <summary>The authority as .NET writes it drops a default port; "example.com:443" for https://example.com names it too.</summary>
    private static bool NamesAuthorityOf(string domain, Uri address) =>
        string.Equals(domain, address.Authority, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(domain, $"{address.Host}:{address.Port}", StringComparison.OrdinalIgnoreCase);
}
