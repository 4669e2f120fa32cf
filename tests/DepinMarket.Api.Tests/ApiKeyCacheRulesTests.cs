using DepinMarket.Api.Auth;
using DepinMarket.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The cache's own rules, where HTTP cannot reach deterministically: the race between a lookup and an eviction,
/// the time-to-live, the size bound and what "not serving" means. The listener and NOTIFY are tested end to end
/// in <see cref="ApiKeyCacheTests"/>.
/// </summary>
public sealed class ApiKeyCacheRulesTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void A_lookup_that_began_before_an_eviction_is_not_kept_after_it()
    {
        var cache = Serving();
        var (hash, identity) = Key();
        var lookup = cache.BeginLookup(); // the database said "valid"...
        cache.Evict(ApiKeyChange.Key(identity.KeyId)); // ...and the revocation's notification arrived before the answer was stored

        cache.Add(hash, identity, lookup);

        Assert.False(cache.TryGet(hash, out _));
    }

    [Fact]
    public void An_eviction_names_a_key_or_every_key_of_an_account()
    {
        var cache = Serving();
        var (first, firstIdentity) = Key();
        var (second, secondIdentity) = Key(firstIdentity.AccountId);
        var (other, otherIdentity) = Key();
        foreach (var (hash, identity) in new[] { (first, firstIdentity), (second, secondIdentity), (other, otherIdentity) })
        {
            cache.Add(hash, identity, cache.BeginLookup());
        }

        cache.Evict(ApiKeyChange.Key(firstIdentity.KeyId));
        Assert.False(cache.TryGet(first, out _));
        Assert.True(cache.TryGet(second, out _));

        cache.Evict(ApiKeyChange.Parse($"account:{firstIdentity.AccountId}"));
        Assert.False(cache.TryGet(second, out _));
        Assert.True(cache.TryGet(other, out _));

        cache.Evict(ApiKeyChange.Parse("a payload from a newer version"));
        Assert.False(cache.TryGet(other, out _));
    }

    [Fact]
    public void Nothing_is_answered_or_kept_while_not_serving_and_stopping_forgets_everything()
    {
        var cache = Serving();
        var (hash, identity) = Key();
        cache.Add(hash, identity, cache.BeginLookup());

        cache.StopServing();
        Assert.False(cache.TryGet(hash, out _));
        cache.Add(hash, identity, cache.BeginLookup());
        cache.StartServing();

        Assert.False(cache.TryGet(hash, out _));
    }

    [Fact]
    public void A_lookup_that_began_while_deaf_is_not_kept_once_serving_again()
    {
        var cache = Serving();
        cache.StopServing();
        var (hash, identity) = Key();
        var lookup = cache.BeginLookup(); // read while a revocation's notification could have been missed
        cache.StartServing();

        cache.Add(hash, identity, lookup);

        Assert.False(cache.TryGet(hash, out _));
    }

    [Fact]
    public void Entries_expire_after_the_configured_time()
    {
        var cache = Serving(seconds: 30);
        var (hash, identity) = Key();
        cache.Add(hash, identity, cache.BeginLookup());

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(cache.TryGet(hash, out var found));
        Assert.Equal(identity, found);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet(hash, out _));
    }

    [Fact]
    public void A_full_cache_keeps_no_more_keys_until_entries_expire()
    {
        var cache = Serving(seconds: 30, size: 2);
        var keys = Enumerable.Range(0, 3).Select(_ => Key()).ToArray();
        foreach (var (hash, identity) in keys)
        {
            cache.Add(hash, identity, cache.BeginLookup());
        }
        Assert.True(cache.TryGet(keys[0].Hash, out _));
        Assert.True(cache.TryGet(keys[1].Hash, out _));
        Assert.False(cache.TryGet(keys[2].Hash, out _));

        _clock.Advance(TimeSpan.FromSeconds(30));
        cache.Add(keys[2].Hash, keys[2].Identity, cache.BeginLookup());
        Assert.True(cache.TryGet(keys[2].Hash, out _));
    }

    [Fact]
    public void A_time_to_live_of_zero_turns_the_cache_off()
    {
        var cache = Serving(seconds: 0);
        var (hash, identity) = Key();
        cache.Add(hash, identity, cache.BeginLookup());

        Assert.False(cache.IsEnabled);
        Assert.False(cache.IsServing);
        Assert.False(cache.TryGet(hash, out _));
    }

    private ApiKeyCache Serving(int seconds = 3600, int size = 100)
    {
        var cache = new ApiKeyCache(Options.Create(new ApiKeyCacheOptions { KeyCacheSeconds = seconds, KeyCacheSize = size }), _clock);
        cache.StartServing();
        return cache;
    }

    private static (byte[] Hash, ApiKeyIdentity Identity) Key(Guid? accountId = null)
    {
        var (_, _, hash) = ApiKeySecret.Generate();
        return (hash, Identity(hash, accountId));
    }

    private static ApiKeyIdentity Identity(byte[] hash, Guid? accountId = null) =>
        new(new Guid(hash.AsSpan(0, 16)), accountId ?? Guid.NewGuid(), ApiKeyScope.Full, IsProvider: true, IsClient: false);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
