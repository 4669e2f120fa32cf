namespace DepinMarket.Domain.Accounts;

/// <summary>
/// A marketplace participant. One account can be both a provider (lists offers, is paid) and a client
/// (rents, pays). The payout wallet is recorded at sign-up; proof of control comes with wallet sign-in,
/// so until then it is marked unverified.
/// </summary>
public sealed class Account
{
    public const int MaxDisplayNameLength = 100;

    public Guid Id { get; private set; }

    public string DisplayName { get; private set; } = "";

    public bool IsProvider { get; private set; }

    public bool IsClient { get; private set; }

    /// <summary>EIP-55 checksummed address.</summary>
    public string WalletAddress { get; private set; } = "";

    public bool WalletVerified { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Its reputation as a provider, when a query loads it (search does); null before it was first computed.</summary>
    public Trust.ProviderStanding? Standing { get; private set; }

    private Account()
    {
    }

    public static Account Open(string displayName, bool isProvider, bool isClient, string checksummedWallet, DateTimeOffset now)
    {
        var v = new Validation();
        v.NotBlank(displayName, "displayName", MaxDisplayNameLength);
        v.Require(isProvider || isClient, "roles", "must name at least one of \"provider\", \"client\".");
        v.ThrowIfInvalid();
        return new Account
        {
            Id = Guid.CreateVersion7(now),
            DisplayName = displayName.Trim(),
            IsProvider = isProvider,
            IsClient = isClient,
            WalletAddress = checksummedWallet,
            WalletVerified = false,
            CreatedAt = now,
        };
    }

    /// <summary>Records that the account proved control of its payout wallet (a signed sign-in message).</summary>
    public void MarkWalletVerified() => WalletVerified = true;

    /// <summary>
    /// Sets the payout wallet, unverified, even when it is the same address: this is how an account releases a wallet
    /// it verified, so that another account can verify it (a wallet is verified by one account at most).
    /// </summary>
    public void ChangeWallet(string checksummedWallet)
    {
        WalletAddress = checksummedWallet;
        WalletVerified = false;
    }
}
