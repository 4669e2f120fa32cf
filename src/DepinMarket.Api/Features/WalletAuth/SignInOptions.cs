namespace DepinMarket.Api.Features.WalletAuth;

/// <summary>Configuration section "SignIn": what the sign-in message says about who is asking.</summary>
public sealed class SignInOptions
{
    /// <summary>The domain named in the message; a wallet shows it, so it must be the one the user expects.</summary>
    public string Domain { get; set; } = "127.0.0.1:5080";

    public string Uri { get; set; } = "http://127.0.0.1:5080";

    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
