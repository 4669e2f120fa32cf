using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rewards;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>Configuration section "Rewards" (docs/decisions/0019).</summary>
public sealed class RewardOptions
{
    /// <summary>When epoch 0 starts. None: no epochs, nothing emitted. Fixed once an epoch has closed (with <see cref="EpochLength"/>).</summary>
    public DateTimeOffset? Genesis { get; set; }

    public TimeSpan EpochLength { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the rate decays (a "month"); a whole number of epochs.</summary>
    public TimeSpan DecayEvery { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Whole tokens emitted in each epoch of the first month (a decimal string).</summary>
    public string InitialPerEpochTokens { get; set; } = "500";

    /// <summary>What each month's rate loses against the previous month's, in basis points (102 = 1.02%).</summary>
    public int MonthlyDecayBps { get; set; } = 102;

    /// <summary>The most ever emitted, in whole tokens.</summary>
    public string CapTokens { get; set; } = "21000000";

    /// <summary>The providers' share of each epoch's emission in basis points; the treasury gets the rest.</summary>
    public int ProvidersBps { get; set; } = 9000;

    /// <summary>Relative weights of billed GPU-seconds, GB-hours and model tokens in the providers' share.</summary>
    public int ComputeWeight { get; set; } = 60;

    public int StorageWeight { get; set; } = 20;

    public int ModelWeight { get; set; } = 20;

    /// <summary>
    /// How long after an epoch ends it is closed: a metering run or usage report that stamped a charge just before the
    /// end commits within this, so its charge is counted in the epoch it is dated in.
    /// </summary>
    public TimeSpan CloseDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the job looks for finished epochs.</summary>
    public TimeSpan CloseInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Epochs closed per run at most (catching up after a pause, or once the pool is funded).</summary>
    public int MaxEpochsPerRun { get; set; } = 100;

    /// <summary>Off in tests that close epochs by hand.</summary>
    public bool Enabled { get; set; } = true;

    public TokenAmount InitialPerEpoch => Tokens(InitialPerEpochTokens);

    public TokenAmount Cap => Tokens(CapTokens);

    /// <summary>The epochs, genesis in UTC (PostgreSQL's timestamptz parameters take no other offset).</summary>
    public EpochGrid? Grid => Genesis is { } genesis ? new EpochGrid(genesis.ToUniversalTime(), EpochLength) : null;

    public RewardSplitRules Rules => new(ProvidersBps, ComputeWeight, StorageWeight, ModelWeight);

    /// <summary>The schedule; only for valid options (a decay period that is a whole number of epochs).</summary>
    public EmissionSchedule Schedule => new(InitialPerEpoch, MonthlyDecayBps, DecayEvery.Ticks / EpochLength.Ticks, Cap);

    public bool AmountsAreValid => TokenAmount.TryParse(InitialPerEpochTokens, out _, out _) && TokenAmount.TryParse(CapTokens, out _, out _);

    /// <summary>Whole seconds throughout: the stored epoch bounds (microseconds in PostgreSQL) then equal the computed ones exactly.</summary>
    public bool PeriodsAreValid => new EpochGrid(DateTimeOffset.UnixEpoch, EpochLength).IsValid
        && DecayEvery > TimeSpan.Zero && DecayEvery.Ticks % EpochLength.Ticks == 0
        && (Genesis is not { } genesis || genesis.UtcTicks % TimeSpan.TicksPerSecond == 0);

    private static TokenAmount Tokens(string text) => TokenAmount.TryParse(text, out var amount, out _) ? amount : TokenAmount.Zero;
}
