using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using DepinMarket.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Auth;

/// <summary>What a validated API key says about its caller: everything the handler turns into claims.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, Guid AccountId, ApiKeyScope Scope, bool IsProvider, bool IsClient);

/// <summary>
/// Validated API keys, kept in memory for a short while (Auth:KeyCacheSeconds) so a request does not need a
/// database round trip to learn who is calling. Entries are found by the SHA-256 hash of the key, never by the
/// key itself, and there are at most Auth:KeyCacheSize of them.
/// <para>
/// Revocation stays immediate on every instance: a revocation commits a NOTIFY in its own transaction
/// (<see cref="ApiKeyChanges"/>) and <see cref="ApiKeyChangeListener"/> evicts the entry on every instance. The
/// cache answers only while that listener is connected: when it is not (start-up, a lost connection, a restarted
/// PostgreSQL), a notification could be missed, so the cache is emptied and every request asks the database until
/// the listener is back. The time-to-live is only a backstop for changes made behind the API's back (a manual SQL
/// UPDATE sends no notification).
/// </para>
/// <para>
/// A lookup races an eviction when it reads the database just before a revocation commits and stores its answer
/// just after the notification was handled. Every eviction and every change of listening state therefore bumps a
/// generation, and an answer read under an older generation is never kept.
/// </para>
/// </summary>
public sealed class ApiKeyCache(IOptions<ApiKeyCacheOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<KeyDigest, Entry> _entries = new();
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
    private readonly int _capacity = options.Value.KeyCacheSize;
    private long _generation;
    private volatile bool _serving;
    private long _hits;
    private long _misses;

    /// <summary>Whether the cache answers (caching is on and the change listener is connected).</summary>
    public bool IsServing => _serving;

    /// <summary>Requests answered from memory, since start (for tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requests that had to ask the database, since start.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public bool IsEnabled => _lifetime > TimeSpan.Zero && _capacity > 0;

    public bool TryGet(byte[] keyHash, [NotNullWhen(true)] out ApiKeyIdentity? identity)
    {
        identity = null;
        var digest = KeyDigest.Of(keyHash);
        if (_serving && _entries.TryGetValue(digest, out var entry))
        {
            if (entry.ExpiresAt > clock.GetUtcNow())
            {
                identity = entry.Identity;
                Interlocked.Increment(ref _hits);
                return true;
            }
            _entries.TryRemove(new KeyValuePair<KeyDigest, Entry>(digest, entry));
        }
        Interlocked.Increment(ref _misses);
        return false;
    }

    /// <summary>Call before reading a key from the database; hand the result to <see cref="Add"/>.</summary>
    public long BeginLookup() => Interlocked.Read(ref _generation);

    /// <summary>Keeps a key read from the database, unless anything was evicted since <paramref name="lookup"/> began.</summary>
    public void Add(byte[] keyHash, ApiKeyIdentity identity, long lookup)
    {
        if (!_serving || lookup != Interlocked.Read(ref _generation))
        {
            return;
        }
        if (_entries.Count >= _capacity && SweepExpired() >= _capacity)
        {
            return; // full of live entries: the key is simply looked up again next time
        }
        var digest = KeyDigest.Of(keyHash);
        var entry = new Entry(identity, clock.GetUtcNow() + _lifetime);
        _entries[digest] = entry;
        // An eviction bumps the generation before it scans; whichever of the two ran second sees the other.
        Interlocked.MemoryBarrier();
        if (!_serving || lookup != Interlocked.Read(ref _generation))
        {
            _entries.TryRemove(new KeyValuePair<KeyDigest, Entry>(digest, entry));
        }
    }

    /// <summary>Drops every entry the change affects (a key, or all keys of an account).</summary>
    public void Evict(ApiKeyChange change)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (digest, entry) in _entries)
        {
            if (change.Affects(entry.Identity))
            {
                _entries.TryRemove(new KeyValuePair<KeyDigest, Entry>(digest, entry));
            }
        }
    }

    /// <summary>The listener is connected and LISTENing: from now on no change can pass unnoticed.</summary>
    internal void StartServing()
    {
        Interlocked.Increment(ref _generation); // answers read while deaf are not kept
        _serving = IsEnabled;
    }

    /// <summary>The listener lost its connection: changes may be missed from now on, so forget everything.</summary>
    internal void StopServing()
    {
        _serving = false;
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private int SweepExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                _entries.TryRemove(pair);
            }
        }
        return _entries.Count;
    }

    private sealed record Entry(ApiKeyIdentity Identity, DateTimeOffset ExpiresAt);

    /// <summary>A SHA-256 hash as two 128-bit halves: a dictionary key without an allocation per request.</summary>
    private readonly record struct KeyDigest(UInt128 High, UInt128 Low)
    {
        public static KeyDigest Of(byte[] sha256) =>
            new(BinaryPrimitives.ReadUInt128BigEndian(sha256), BinaryPrimitives.ReadUInt128BigEndian(sha256.AsSpan(16)));
    }
}
