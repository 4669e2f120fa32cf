namespace DepinMarket.Domain.Accounts;

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope
{
    /// <summary>GET only: for dashboards and monitoring scripts that must never move money.</summary>
    ReadOnly,
    /// <summary>Everything the account may do.</summary>
    Full,
}

/// <summary>
/// An API key's record. The key itself is shown once at creation and never stored: only its public
/// prefix (to find the row) and a SHA-256 hash of the whole key (to check it). Keys carry 256 bits of
/// randomness, so a fast hash is enough; a slow password hash would only slow every request.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string Name { get; private set; } = "";

    public string Prefix { get; private set; } = "";

    public byte[] Hash { get; private set; } = [];

    public ApiKeyScope Scope { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    private ApiKey()
    {
    }

    public static ApiKey Issue(Guid accountId, string name, ApiKeyScope scope, string prefix, byte[] hash, DateTimeOffset now)
    {
        var v = new Validation();
        v.NotBlank(name, "name", 100);
        v.ThrowIfInvalid();
        return new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            AccountId = accountId,
            Name = name.Trim(),
            Scope = scope,
            Prefix = prefix,
            Hash = hash,
            CreatedAt = now,
        };
    }

    /// <summary>Revoking twice is harmless: the first revocation time stands.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
