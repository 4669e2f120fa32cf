using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>Configuration section "Settlement".</summary>
public sealed class SettlementOptions
{
    /// <summary>How often a settlement run gathers what is payable; the worker checks open batches on every tick in between.</summary>
    public TimeSpan RunInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the worker ticks: renews its lease, advances open batches.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Off in tests that settle by hand, and on an API without a chain.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Earnings below this (whole tokens, a decimal string) stay in the account until they reach it; withdrawals are paid whatever their size.</summary>
    public string MinimumPayoutTokens { get; set; } = "1";

    public TokenAmount MinimumPayout => TokenAmount.TryParse(MinimumPayoutTokens, out var amount, out _) ? amount : TokenAmount.Zero;

    /// <summary>Recipients per payout transaction, bounded by block gas (docs/PERFORMANCE.md, "Payout gas").</summary>
    public int MaxRecipientsPerTransaction { get; set; } = 400;

    /// <summary>Gas limit of a payout: this plus <see cref="GasPerRecipient"/> per line (unused gas is not paid for).</summary>
    public long GasBase { get; set; } = 100_000;

    public long GasPerRecipient { get; set; } = 35_000;

    /// <summary>A broadcast not mined this long after being sent is sent again once, then replaced at higher fees.</summary>
    public TimeSpan ReplaceAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a worker's lease lasts without renewal; another instance takes over after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The burn account's balance is burned on chain once it reaches this (whole tokens).</summary>
    public string MinimumBurnTokens { get; set; } = "1";

    public TokenAmount MinimumBurn => TokenAmount.TryParse(MinimumBurnTokens, out var amount, out _) ? amount : TokenAmount.Zero;

    /// <summary>An explorer's transaction page, "{0}" for the hash (e.g. "https://sepolia.etherscan.io/tx/{0}"); none locally.</summary>
    public string? ExplorerTransactionUrl { get; set; }
}
