namespace DepinMarket.Domain.Rewards;

/// <summary>
/// The epochs on the clock: epoch n covers [Genesis + n × Length, Genesis + (n + 1) × Length), half open, so every
/// instant after genesis is in exactly one epoch.
/// </summary>
public sealed record EpochGrid(DateTimeOffset Genesis, TimeSpan Length)
{
    public bool IsValid => Length >= TimeSpan.FromSeconds(1) && Length.Ticks % TimeSpan.TicksPerSecond == 0;

    public DateTimeOffset StartOf(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return Genesis + epoch * Length;
    }

    public DateTimeOffset EndOf(long epoch) => StartOf(epoch + 1);

    /// <summary>How many epochs have ended by <paramref name="now"/> (epochs 0 to the result − 1); zero before the first ends.</summary>
    public long FinishedBy(DateTimeOffset now) => now < Genesis ? 0 : (now - Genesis).Ticks / Length.Ticks;

    /// <summary>Epochs in one decay period; the period must be a whole number of epochs.</summary>
    public long EpochsIn(TimeSpan period) =>
        period.Ticks > 0 && period.Ticks % Length.Ticks == 0
            ? period.Ticks / Length.Ticks
            : throw new ArgumentException($"A decay period of {period} is not a whole number of {Length} epochs.", nameof(period));
}
