using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Accounts;

/// <summary>An account's own API keys: issue more (one per script), list them, revoke them.</summary>
public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/accounts/me/api-keys").WithTags("Accounts");

        group.MapPost("/", CreateKey)
            .RequireAuthorization(Policies.Write)
            .WithName("CreateApiKey")
            .WithSummary("Issue another API key (the secret is shown once)")
            .WithDescription("An account holds at most Accounts:MaxActiveApiKeys unrevoked keys (20 by default); beyond that the answer is a 409.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", ListKeys)
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery()
            .WithName("ListApiKeys")
            .WithSummary("List this account's API keys (prefix and metadata only, never the secret)");

        group.MapDelete("/{keyId:guid}", RevokeKey)
            .RequireAuthorization(Policies.Write)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; it is refused from the next request on")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    // Issues a key unless the account already holds its cap of unrevoked keys. The account's row lock makes the
    // count and the insert one step, so racing requests cannot pass the cap together. (A plain comment: the API
    // document would take an XML doc comment here as the operation's summary.)
    internal static async Task<Created<CreatedApiKeyResponse>> CreateKey(
        CreateApiKeyRequest request, ClaimsPrincipal user, MarketDbContext db, IOptions<AccountOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var cap = options.Value.MaxActiveApiKeys;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"select 1 from accounts where id = {accountId} for no key update", cancellationToken);
        var active = await db.ApiKeys.CountAsync(k => k.AccountId == accountId && k.RevokedAt == null, cancellationToken);
        if (active >= cap)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Too many API keys.",
                $"This account has {active} unrevoked API keys, the most it may hold ({cap}). Revoke one it no longer uses " +
                "(DELETE /v1/accounts/me/api-keys/{id}) and try again.");
        }
        var key = ApiKeyIssuer.Issue(db, accountId, request.Name, request.Scope, clock.Now());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/accounts/me/api-keys/{key.Id}", key);
    }

    internal static async Task<Ok<ApiKeyResponse[]>> ListKeys(ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId)
            .OrderBy(k => k.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(ApiKeyResponse.From).ToArray());
    }

    internal static async Task<NoContent> RevokeKey(
        Guid keyId, ClaimsPrincipal user, MarketDbContext db, ApiKeyChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        // Another account's key is "not found", not "forbidden": the answer must not confirm that it exists.
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "API key not found.", $"This account has no API key {keyId}.");
        key.Revoke(clock.Now());
        // Saved together with a notification, so every instance drops the key from its cache as the revocation commits.
        await changes.SaveChangesAsync(db, ApiKeyChange.Key(key.Id), cancellationToken);
        return TypedResults.NoContent();
    }
}
