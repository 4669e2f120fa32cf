using DepinMarket.Domain.Accounts;

namespace DepinMarket.Api.Features.Accounts;

public enum AccountRole
{
    Provider,
    Client,
}

/// <param name="DisplayName">Shown to other participants; 1 to 100 characters.</param>
/// <param name="Roles">"provider" to list offers and be paid, "client" to rent; or both.</param>
/// <param name="WalletAddress">Payout wallet: 0x + 40 hex digits; mixed case must carry a valid EIP-55 checksum.</param>
public sealed record CreateAccountRequest(string DisplayName, AccountRole[] Roles, string WalletAddress);

/// <param name="WalletAddress">The new payout wallet (or the same one, to release its verification): 0x + 40 hex digits.</param>
public sealed record ChangeWalletRequest(string WalletAddress);

public sealed record AccountResponse(
    Guid Id, string DisplayName, AccountRole[] Roles, string WalletAddress, bool WalletVerified, DateTimeOffset CreatedAt)
{
    /// <summary>How to fund this account (its deposit reference, the vault, the calls); shown by GET /v1/accounts/me.</summary>
    public Deposits.DepositInstructions? Deposit { get; init; }

    public static AccountResponse From(Account a) => new(
        a.Id, a.DisplayName,
        [.. new[] { (a.IsProvider, AccountRole.Provider), (a.IsClient, AccountRole.Client) }.Where(r => r.Item1).Select(r => r.Item2)],
        a.WalletAddress, a.WalletVerified, a.CreatedAt);
}

/// <summary>The answer to sign-up: the account and its first API key, whose secret is shown this once.</summary>
public sealed record CreatedAccountResponse(AccountResponse Account, CreatedApiKeyResponse ApiKey);

/// <param name="Name">What the key is for ("render farm script"), to tell keys apart when listing them.</param>
/// <param name="Scope">"full" (default) or "read_only" (GET requests only).</param>
public sealed record CreateApiKeyRequest(string Name, ApiKeyScope Scope = ApiKeyScope.Full);

public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, ApiKeyScope Scope, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Scope, k.CreatedAt, k.RevokedAt);
}

/// <param name="Key">The secret. Shown once: store it now; the server keeps only a hash.</param>
public sealed record CreatedApiKeyResponse(Guid Id, string Name, string Prefix, ApiKeyScope Scope, DateTimeOffset CreatedAt, string Key);
