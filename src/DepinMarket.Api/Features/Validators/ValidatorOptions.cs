using DepinMarket.Domain.Rewards;
using DepinMarket.Domain.Trust;

namespace DepinMarket.Api.Features.Validators;

/// <summary>Configuration section "Validators" (docs/decisions/0021).</summary>
public sealed class ValidatorOptions
{
    /// <summary>When scoring epoch 0 starts. Fixed once an epoch has closed (with <see cref="EpochLength"/>): trust carries from one epoch to the next.</summary>
    public DateTimeOffset Genesis { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// One scoring round. An hour: long enough for a validator to probe hundreds of endpoints a few times each, short
    /// enough that a model that degrades is seen the same day and a dishonest validator loses most of its trust in half a day.
    /// </summary>
    public TimeSpan EpochLength { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the closer looks for finished epochs; zero: never (tests close epochs by hand).</summary>
    public TimeSpan CloseInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Epochs closed per run at most (catching up after a pause).</summary>
    public int MaxEpochsPerRun { get; set; } = 100;

    /// <summary>
    /// The trust a validator starts with when the operator grants the role. 1: the operator vouches for it, and it loses
    /// trust only by diverging. A start of 0 would give a new validator no say until it earned one, but a network whose
    /// validators all start at 0 has no weighted median to agree with, so nobody could ever earn any.
    /// </summary>
    public double InitialTrust { get; set; } = 1.0;

    /// <summary>Half the width of the band around an offer's median that its scores are clipped into (<see cref="ConsensusSettings.ClipBand"/>).</summary>
    public double ClipBand { get; set; } = ConsensusSettings.Default.ClipBand;

    /// <summary>How far one epoch moves a validator's trust (<see cref="ConsensusSettings.TrustLearningRate"/>).</summary>
    public double TrustLearningRate { get; set; } = ConsensusSettings.Default.TrustLearningRate;

    /// <summary>The mean divergence at which an epoch earns no trust (<see cref="ConsensusSettings.DivergenceScale"/>).</summary>
    public double DivergenceScale { get; set; } = ConsensusSettings.Default.DivergenceScale;

    /// <summary>The epochs, genesis in UTC (PostgreSQL's timestamptz parameters take no other offset).</summary>
    public EpochGrid Grid => new(Genesis.ToUniversalTime(), EpochLength);

    public ConsensusSettings Consensus => new(ClipBand, TrustLearningRate, DivergenceScale);

    /// <summary>Whole seconds: the stored epoch bounds (microseconds in PostgreSQL) then equal the computed ones exactly.</summary>
    public bool GridIsValid => Grid.IsValid && Genesis.UtcTicks % TimeSpan.TicksPerSecond == 0;

    /// <summary>The epoch in progress at <paramref name="now"/>; null before genesis.</summary>
    public long? CurrentEpoch(DateTimeOffset now) => now < Grid.Genesis ? null : Grid.FinishedBy(now);
}
