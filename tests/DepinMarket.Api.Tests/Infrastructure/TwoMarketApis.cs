using DepinMarket.Api.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// Two API instances against ONE database, as behind a load balancer: two hosts on two Kestrel ports, each with
/// its own API-key cache and change listener. Their caches keep keys for an hour, so within a test only a
/// notification (or the fail-safe of a deaf listener) can explain a refusal.
/// </summary>
public sealed class TwoMarketApis : IAsyncLifetime
{
    public MarketApi A { get; } = new Instance(sharedDatabase: null);

    public MarketApi B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await A.InitializeAsync();
        B = new Instance(A.ConnectionString);
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }

    private sealed class Instance(string? sharedDatabase) : MarketApi
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Auth:KeyCacheSeconds"] = "3600",
        };

        protected override Task<string> CreateDatabaseAsync() => sharedDatabase is null ? base.CreateDatabaseAsync() : Task.FromResult(sharedDatabase);
    }
}

public static class MarketApiCache
{
    /// <summary>The instance's API-key cache, to see whether it answers and how often it did.</summary>
    public static ApiKeyCache KeyCache(this MarketApi api) => api.Services.GetRequiredService<ApiKeyCache>();
}
