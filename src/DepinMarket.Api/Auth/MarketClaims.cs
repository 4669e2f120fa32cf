using System.Security.Claims;

namespace DepinMarket.Api.Auth;

/// <summary>The claims the API-key handler issues, and typed access to them.</summary>
public static class MarketClaims
{
    public const string AccountId = "account_id";
    public const string KeyId = "key_id";
    public const string Scope = "scope";
    public const string Role = "role";

    public const string FullScope = "full";
    public const string ProviderRole = "provider";
    public const string ClientRole = "client";
    public const string OperatorRole = "operator";

    /// <summary>The caller's account id; endpoints behind an authorization policy always have one.</summary>
    public static Guid AccountIdOf(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(AccountId), out var id)
            ? id
            : throw new InvalidOperationException("The endpoint is not protected by an account policy.");
}
