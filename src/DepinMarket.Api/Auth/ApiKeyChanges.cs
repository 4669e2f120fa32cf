using DepinMarket.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Auth;

/// <summary>
/// A change to what cached API keys say: one key (revoked), every key of an account (its roles changed), or
/// everything (a notification this version cannot read, so nothing cached can be trusted).
/// On the wire it is the NOTIFY payload "key:&lt;id&gt;", "account:&lt;id&gt;" or anything else.
/// </summary>
public sealed class ApiKeyChange
{
    private const string KeyPrefix = "key:";
    private const string AccountPrefix = "account:";

    private readonly string _payload;
    private readonly Func<ApiKeyIdentity, bool> _affects;

    private ApiKeyChange(string payload, Func<ApiKeyIdentity, bool> affects)
    {
        _payload = payload;
        _affects = affects;
    }

    public static ApiKeyChange Key(Guid keyId) => new(KeyPrefix + keyId, i => i.KeyId == keyId);

    public static ApiKeyChange Account(Guid accountId) => new(AccountPrefix + accountId, i => i.AccountId == accountId);

    public static ApiKeyChange Parse(string payload)
    {
        if (payload.StartsWith(KeyPrefix, StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(KeyPrefix.Length), out var keyId))
        {
            return Key(keyId);
        }
        if (payload.StartsWith(AccountPrefix, StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(AccountPrefix.Length), out var accountId))
        {
            return Account(accountId);
        }
        return new ApiKeyChange(payload, _ => true);
    }

    public bool Affects(ApiKeyIdentity identity) => _affects(identity);

    public override string ToString() => _payload;
}

/// <summary>
/// Saves a change that alters what a cached API key says (a revocation; roles or scope, should they ever become
/// editable) and announces it to every API instance in the same transaction: PostgreSQL delivers a NOTIFY when,
/// and only if, the transaction commits, so no instance hears of a change that did not happen, and none misses
/// one while its listener is connected (<see cref="ApiKeyCache"/> stops answering while it is not).
/// Every code path that changes api_keys.revoked_at, api_keys.scope, accounts.is_provider or accounts.is_client
/// must save through here.
/// </summary>
public sealed class ApiKeyChanges(ApiKeyCache cache)
{
    public const string Channel = "api_key_changes";

    public Task SaveChangesAsync(MarketDbContext db, ApiKeyChange change, CancellationToken cancellationToken) =>
        SaveChangesAsync(db, [change], cancellationToken);

    public async Task SaveChangesAsync(MarketDbContext db, IReadOnlyList<ApiKeyChange> changes, CancellationToken cancellationToken)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var change in changes)
            {
                await db.Database.ExecuteSqlAsync($"select pg_notify({Channel}, {change.ToString()})", cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // This instance's listener hears the notification too, a moment later; evicting now keeps "refused from
        // the very next request" true for the caller who revoked.
        foreach (var change in changes)
        {
            cache.Evict(change);
        }
    }
}
