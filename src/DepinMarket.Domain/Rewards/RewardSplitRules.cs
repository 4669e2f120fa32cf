using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rewards;

/// <summary>
/// How an epoch's emission is divided: <see cref="ProvidersBps"/> to the providers (the rest to the treasury), and
/// the providers' share across the three kinds of contribution by relative weights. A weight applies among the kinds
/// that had contributions in the epoch: with storage idle, compute and model share everything in their ratio.
/// </summary>
/// <param name="ProvidersBps">The providers' share of each epoch's emission (9000 = 90%); the treasury gets the rest.</param>
/// <param name="ComputeWeight">Weight of billed GPU-seconds (compute rentals).</param>
/// <param name="StorageWeight">Weight of billed GB-hours (storage rentals).</param>
/// <param name="ModelWeight">Weight of model tokens served (input plus output tokens).</param>
public sealed record RewardSplitRules(int ProvidersBps, int ComputeWeight, int StorageWeight, int ModelWeight)
{
    public bool IsValid =>
        ProvidersBps is >= 0 and <= TokenAmount.BasisPointsPerWhole
        && ComputeWeight >= 0 && StorageWeight >= 0 && ModelWeight >= 0
        && (long)ComputeWeight + StorageWeight + ModelWeight > 0;
}

/// <summary>
/// What one provider contributed in an epoch, as billed: the sums of its rental charges' quantities per unit, and its
/// reliability weight.
/// </summary>
/// <param name="ReliabilityBps">
/// A multiplier of its contribution, 10000 = counts in full. Everyone has <see cref="Reliability.Full"/> until the
/// trust issue measures reliability; the weight is already an input of the split and stored with each epoch.
/// </param>
public sealed record ProviderContribution(Guid ProviderId, BigInteger GpuSeconds, BigInteger GbHours, BigInteger ModelTokens, int ReliabilityBps = Reliability.Full)
{
    public bool IsValid => GpuSeconds.Sign >= 0 && GbHours.Sign >= 0 && ModelTokens.Sign >= 0 && ReliabilityBps is >= 0 and <= Reliability.Full;
}

public static class Reliability
{
    /// <summary>A contribution that counts in full: the weight of every provider for now.</summary>
    public const int Full = TokenAmount.BasisPointsPerWhole;
}
