namespace DepinMarket.Domain.Auth;

/// <summary>
/// A single-use sign-in challenge for one wallet: the exact message the wallet must sign (EIP-4361 style),
/// with a random nonce and an expiry. The server keeps the message, so any alteration is detectable by a
/// plain comparison; the nonce can be spent once, so a captured signature cannot be replayed.
/// </summary>
public sealed class WalletChallenge
{
    public Guid Id { get; private set; }

    public string Address { get; private set; } = "";

    public string Nonce { get; private set; } = "";

    public string Message { get; private set; } = "";

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    private WalletChallenge()
    {
    }

    public static WalletChallenge Issue(string checksummedAddress, string nonce, SignInMessage message) => new()
    {
        Id = Guid.CreateVersion7(message.IssuedAt),
        Address = checksummedAddress,
        Nonce = nonce,
        Message = message.Text,
        IssuedAt = message.IssuedAt,
        ExpiresAt = message.ExpiresAt,
    };

    /// <summary>Checks everything but the signature, then spends the nonce.</summary>
    public void Redeem(string presentedMessage, DateTimeOffset now)
    {
        if (UsedAt is not null)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Sign-in message already used.",
                "This sign-in message was already used; ask for a new challenge. Each message signs in once.");
        }
        if (!string.Equals(presentedMessage.Replace("\r\n", "\n", StringComparison.Ordinal), Message, StringComparison.Ordinal))
        {
            throw ValidationFailedException.For("message", "differs from the message that was issued for this nonce; sign the message exactly as returned by /v1/auth/challenge.");
        }
        if (now >= ExpiresAt)
        {
            throw ValidationFailedException.For("message", $"expired at {ExpiresAt:O}; ask for a new challenge.");
        }
        UsedAt = now;
    }
}

/// <summary>
/// The text a wallet signs, in the shape of EIP-4361 (Sign-In with Ethereum) so wallets show it readably:
/// who asks (domain), for which address, on which chain, with which nonce and until when.
/// </summary>
public sealed record SignInMessage(string Text, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public const string Statement = "Sign in to DepinMarket to prove that you control this wallet.";

    public static SignInMessage Create(SignInSite site, string checksummedAddress, long chainId, string nonce, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var expiresAt = issuedAt + lifetime;
        var text = string.Join('\n',
            $"{site.Domain} wants you to sign in with your Ethereum account:",
            checksummedAddress,
            "",
            Statement,
            "",
            $"URI: {site.Uri}",
            "Version: 1",
            $"Chain ID: {chainId}",
            $"Nonce: {nonce}",
            $"Issued At: {issuedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}",
            $"Expiration Time: {expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}");
        return new SignInMessage(text, issuedAt, expiresAt);
    }

    /// <summary>The nonce line of a presented message, or null: how verify finds the challenge.</summary>
    public static string? NonceOf(string message) =>
        message.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith("Nonce: ", StringComparison.Ordinal))?["Nonce: ".Length..];
}
