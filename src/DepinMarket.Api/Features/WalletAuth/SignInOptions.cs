using DepinMarket.Domain.Auth;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.WalletAuth;

/// <summary>Configuration section "SignIn": what the sign-in message says about who is asking.</summary>
public sealed class SignInOptions
{
    /// <summary>
    /// The domain named in the message (host[:port]); a wallet shows it, so it must be the site the user is on. Unset:
    /// the authority of <see cref="Uri"/>, or, when that is unset too, the address the API serves on (see <see cref="SignInSites"/>).
    /// </summary>
    public string? Domain { get; set; }

    /// <summary>The site's absolute http(s) URI; set it behind a proxy or on a public domain. Unset: the address the API serves on.</summary>
    public string? Uri { get; set; }

    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The configured site, or null when the API is to name the address it serves on.</summary>
    internal SignInSite? ConfiguredSite => SignInSite.TryConfigure(Domain, Uri, out var site, out _) ? site : null;
}

/// <summary>Refuses to start with a sign-in domain and URI that name different sites, or a URI a wallet could not show.</summary>
internal sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var failures = new List<string>();
        if (!SignInSite.TryConfigure(options.Domain, options.Uri, out _, out var error))
        {
            failures.Add(error!);
        }
        if (options.ChallengeLifetime <= TimeSpan.Zero)
        {
            failures.Add($"SignIn:ChallengeLifetime must be positive; got {options.ChallengeLifetime}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
