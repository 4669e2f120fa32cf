using System.ComponentModel.DataAnnotations;

namespace DepinMarket.Api.Auth;

/// <summary>The "Auth" configuration section: how long and how many validated API keys stay in memory.</summary>
public sealed class ApiKeyCacheOptions
{
    /// <summary>
    /// Seconds a validated key is answered from memory. Revocations reach every instance at once through
    /// LISTEN/NOTIFY, whatever this is; it only bounds how long a change made behind the API's back (a manual
    /// UPDATE in SQL) goes unnoticed. 0 turns the cache off.
    /// </summary>
    [Range(0, 86_400)]
    public int KeyCacheSeconds { get; set; } = 30;

    /// <summary>At most this many keys are kept; beyond it, keys are looked up in the database as before.</summary>
    [Range(1, 10_000_000)]
    public int KeyCacheSize { get; set; } = 10_000;
}

public static class ApiKeyCacheSetup
{
    /// <summary>The cache of validated keys, the change notifier the endpoints save revocations through, and the listener.</summary>
    public static WebApplicationBuilder AddApiKeyCache(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyCacheOptions>().Bind(builder.Configuration.GetSection("Auth"))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<ApiKeyChanges>();
        builder.Services.AddHostedService<ApiKeyChangeListener>();
        return builder;
    }
}
