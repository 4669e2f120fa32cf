namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>The "Deposits" section: how often the watcher looks for vault deposits and how many blocks one eth_getLogs spans.</summary>
public sealed class DepositWatcherOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Public nodes refuse wide eth_getLogs ranges; a long catch-up runs in ranges this long.</summary>
    public int MaxBlockRange { get; set; } = 500;
}
