using Microsoft.AspNetCore.Authorization;

namespace DepinMarket.Api.Auth;

/// <summary>
/// The four things an endpoint can demand of its caller. Each requirement carries the sentence a refused
/// caller reads in the 403, so "forbidden" always comes with a reason.
/// </summary>
public static class Policies
{
    /// <summary>Any account's key, read-only keys included.</summary>
    public const string Read = "read";

    /// <summary>A full-scope key: everything that changes state.</summary>
    public const string Write = "write";

    /// <summary>A full-scope key of an account with the provider role.</summary>
    public const string Provider = "provider";

    /// <summary>A full-scope key of an account with the client role.</summary>
    public const string Client = "client";

    /// <summary>The operator key from configuration.</summary>
    public const string Operator = "operator";

    public static WebApplicationBuilder AddMarketAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        builder.AddApiKeyCache();

        var account = new ClaimRequirement(MarketClaims.AccountId, null, "This endpoint is for marketplace accounts; the operator key cannot use it.");
        var fullScope = new ClaimRequirement(MarketClaims.Scope, MarketClaims.FullScope, "This API key is read-only; changes need a key with the \"full\" scope.");
        builder.Services.AddAuthorizationBuilder()
            // An endpoint that forgets RequireAuthorization is closed, not public: public ones say AllowAnonymous.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Read, p => p.RequireAuthenticatedUser().AddRequirements(account))
            .AddPolicy(Write, p => p.RequireAuthenticatedUser().AddRequirements(account, fullScope))
            .AddPolicy(Provider, p => p.RequireAuthenticatedUser().AddRequirements(account, fullScope,
                new ClaimRequirement(MarketClaims.Role, MarketClaims.ProviderRole, "Only accounts with the \"provider\" role can do this.")))
            .AddPolicy(Client, p => p.RequireAuthenticatedUser().AddRequirements(account, fullScope,
                new ClaimRequirement(MarketClaims.Role, MarketClaims.ClientRole, "Only accounts with the \"client\" role can rent.")))
            .AddPolicy(Operator, p => p.RequireAuthenticatedUser().AddRequirements(
                new ClaimRequirement(MarketClaims.Role, MarketClaims.OperatorRole, "This endpoint needs the operator key.")));
        builder.Services.AddSingleton<IAuthorizationHandler, ClaimRequirementHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return builder;
    }
}

/// <summary>The caller must carry <paramref name="ClaimType"/> (with <paramref name="Value"/>, when given).</summary>
public sealed record ClaimRequirement(string ClaimType, string? Value, string FailureMessage) : IAuthorizationRequirement;

internal sealed class ClaimRequirementHandler : AuthorizationHandler<ClaimRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClaimRequirement requirement)
    {
        if (context.User.HasClaim(c => c.Type == requirement.ClaimType && (requirement.Value is null || c.Value == requirement.Value)))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, requirement.FailureMessage));
        }
        return Task.CompletedTask;
    }
}
