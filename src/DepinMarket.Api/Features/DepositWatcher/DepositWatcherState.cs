using System.Numerics;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>What this instance's watcher last found, for readiness: the head, how far it has credited, and the last failure.</summary>
public sealed class DepositWatcherState
{
    private readonly Lock _lock = new();
    private (BigInteger? Head, BigInteger? Scanned, string? Failure, DateTimeOffset? FailingSince) _now;

    public (BigInteger? Head, BigInteger? Scanned, string? Failure, DateTimeOffset? FailingSince) Now
    {
        get
        {
            lock (_lock)
            {
                return _now;
            }
        }
    }

    public void Succeeded(BigInteger head, BigInteger scanned)
    {
        lock (_lock)
        {
            _now = (head, scanned, null, null);
        }
    }

    public void Failed(string reason, DateTimeOffset at)
    {
        lock (_lock)
        {
            _now = (_now.Head, _now.Scanned, reason, _now.FailingSince ?? at);
        }
    }
}
