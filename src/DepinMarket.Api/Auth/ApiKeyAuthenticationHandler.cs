using System.Security.Claims;
using System.Text.Encodings.Web;
using DepinMarket.Api.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Auth;

/// <summary>
/// Reads an API key from "Authorization: Bearer ..." or "X-Api-Key", finds it by prefix, checks its hash in
/// constant time and refuses revoked keys. A key validated a moment ago is answered from <see cref="ApiKeyCache"/>
/// (by its hash) without a database round trip; a revocation evicts it on the revoking instance before it is
/// answered and on every other instance as it commits (see the cache for how that holds across instances and
/// connection losses). The operator key comes from
/// configuration (Admin:ApiKey) and is compared the same way.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    MarketDbContext db,
    ApiKeyCache cache,
    IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureItem = "auth_failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var hash = ApiKeySecret.Hash(key);
        var operatorKey = configuration["Admin:ApiKey"];
        if (!string.IsNullOrEmpty(operatorKey) && ApiKeySecret.Matches(hash, ApiKeySecret.Hash(operatorKey)))
        {
            return Success(new Claim(MarketClaims.Role, MarketClaims.OperatorRole), new Claim(MarketClaims.Scope, MarketClaims.FullScope));
        }

        if (Domain.Nodes.NodeToken.LooksLikeOne(key))
        {
            // The node endpoints check node tokens themselves; everywhere else one is the wrong credential.
            return Fail("This is a node token: it authenticates a node's heartbeats only. Send an API key (dpm_…) here.");
        }
        var prefix = ApiKeySecret.PrefixOf(key);
        if (prefix is null)
        {
            return Fail("The API key is malformed: keys look like dpm_<16 hex>_<secret>.");
        }
        if (cache.TryGet(hash, out var cached))
        {
            return Success(ClaimsOf(cached));
        }

        var lookup = cache.BeginLookup();
        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Prefix == prefix)
            .Join(db.Accounts, k => k.AccountId, a => a.Id, (k, a) => new { Key = k, Account = a })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null || !ApiKeySecret.Matches(hash, found.Key.Hash))
        {
            return Fail("The API key is not valid.");
        }
        if (found.Key.IsRevoked)
        {
            return Fail("The API key was revoked.");
        }

        var identity = new ApiKeyIdentity(found.Key.Id, found.Account.Id, found.Key.Scope, found.Account.IsProvider, found.Account.IsClient);
        cache.Add(hash, identity, lookup);
        return Success(ClaimsOf(identity));
    }

    private static Claim[] ClaimsOf(ApiKeyIdentity identity)
    {
        var claims = new List<Claim>(5)
        {
            new(MarketClaims.AccountId, identity.AccountId.ToString()),
            new(MarketClaims.KeyId, identity.KeyId.ToString()),
            new(MarketClaims.Scope, identity.Scope == Domain.Accounts.ApiKeyScope.Full ? MarketClaims.FullScope : "read_only"),
        };
        if (identity.IsProvider)
        {
            claims.Add(new Claim(MarketClaims.Role, MarketClaims.ProviderRole));
        }
        if (identity.IsClient)
        {
            claims.Add(new Claim(MarketClaims.Role, MarketClaims.ClientRole));
        }
        return [.. claims];
    }

    /// <summary>401 as problem details that say why: no key, a malformed key, a wrong key or a revoked key.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[FailureItem] as string
            ?? "This endpoint needs an API key: send it as \"Authorization: Bearer <key>\" or \"X-Api-Key: <key>\".";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = "Unauthorized.", Detail = reason },
        });
    }

    private static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        var header = request.Headers["X-Api-Key"].ToString();
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(params Claim[] claims)
    {
        var identity = new ClaimsIdentity(claims, SchemeName, MarketClaims.AccountId, MarketClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
