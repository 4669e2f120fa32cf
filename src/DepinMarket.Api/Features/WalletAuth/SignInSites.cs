using DepinMarket.Domain.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.WalletAuth;

/// <summary>
/// The site a sign-in message names. Configured (SignIn:Uri, SignIn:Domain; validated at start-up): that, always.
/// Otherwise the address the server actually listens on, read from Kestrel once it has started, so `--urls`,
/// ASPNETCORE_URLS, run.sh's DEPINMARKET_URL and a test host's random port are all named as they are: the first
/// https address, else the first http one. An address with a wildcard host (0.0.0.0, [::], as in the Docker image)
/// names no site, so then the message names the host the request came in by (its Host header, which Kestrel has
/// checked for syntax and AllowedHosts can restrict). A client picks that host, so a public deployment configures
/// SignIn:Uri instead; the first such message logs a warning saying so.
/// </summary>
public sealed class SignInSites(IOptions<SignInOptions> options, IServer server, ILogger<SignInSites> logger)
{
    private readonly SignInSite? _configured = options.Value.ConfiguredSite;
    private SignInSite? _served;
    private int _warnedAboutHostHeader;

    public SignInSite For(HttpContext http) => _configured ?? Served() ?? FromRequest(http);

    /// <summary>The bound address as a site; null before the server has started, and for a wildcard host.</summary>
    private SignInSite? Served()
    {
        if (_served is not null)
        {
            return _served;
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var bound = addresses.Select(Parse).OfType<BindingAddress>()
            .Where(a => !a.IsUnixPipe && !a.IsNamedPipe && (a.Scheme is "http" or "https"))
            .OrderBy(a => a.Scheme == "https" ? 0 : 1) // stable: the first of each scheme stays first
            .FirstOrDefault();
        if (bound is null || IsWildcard(bound.Host) || !Uri.TryCreate($"{bound.Scheme}://{bound.Host}:{bound.Port}{bound.PathBase}", UriKind.Absolute, out var uri))
        {
            return null;
        }
        // Addresses do not change once the server listens, so the answer can be kept.
        return _served = SignInSite.At(uri);
    }

    private SignInSite FromRequest(HttpContext http)
    {
        if (Interlocked.Exchange(ref _warnedAboutHostHeader, 1) == 0)
        {
            logger.LogWarning("Sign-in messages name the host each request came in by, since SignIn:Uri is not set and the address the API listens on " +
                "names no site ({Addresses}); set SignIn:Uri (and SignIn:Domain) to the public site for any deployment others use",
                string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []));
        }
        var request = http.Request;
        if (request.Host.HasValue && Uri.TryCreate($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}", UriKind.Absolute, out var uri)
            && uri.UserInfo.Length == 0)
        {
            return SignInSite.At(uri);
        }
        // HTTP/1.0 without a Host header: the address the connection reached.
        var local = new System.Net.IPEndPoint(http.Connection.LocalIpAddress ?? System.Net.IPAddress.Loopback, http.Connection.LocalPort);
        return SignInSite.At(new Uri($"{request.Scheme}://{local}"));
    }

    private static BindingAddress? Parse(string address)
    {
        try
        {
            return BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsWildcard(string host) => host is "0.0.0.0" or "[::]" or "::" or "+" or "*" or "";
}
