using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Domain.Accounts;

namespace DepinMarket.Api.Features.Accounts;

/// <summary>Creates a key, adds its hashed record to the context and returns the one-time secret.</summary>
internal static class ApiKeyIssuer
{
    public static CreatedApiKeyResponse Issue(MarketDbContext db, Guid accountId, string name, ApiKeyScope scope, DateTimeOffset now)
    {
        var (key, prefix, hash) = ApiKeySecret.Generate();
        var record = ApiKey.Issue(accountId, name, scope, prefix, hash, now);
        db.ApiKeys.Add(record);
        return new CreatedApiKeyResponse(record.Id, record.Name, record.Prefix, record.Scope, record.CreatedAt, key);
    }
}
