using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rewards;

/// <summary>One provider's part of an epoch's emission.</summary>
public sealed record ProviderShare(ProviderContribution Contribution, TokenAmount Amount);

/// <summary>
/// An epoch's emission divided, a pure function of the emission, the rules and the contributions (<see cref="Compute"/>),
/// so anyone holding an epoch's stored inputs can recompute it to the base unit.
/// </summary>
/// <param name="Emission">What the schedule made available for the epoch.</param>
/// <param name="ProvidersShare">What the providers got together: the sum of <see cref="Shares"/>.</param>
/// <param name="Treasury">What the treasury got.</param>
/// <param name="Unallocated">What was not emitted: all of <paramref name="Emission"/> when nobody contributed, else zero.</param>
/// <param name="Shares">Every contributor, ordered by provider id, with its part (zero for a contribution that counts for nothing).</param>
public sealed record RewardAllocation(TokenAmount Emission, TokenAmount ProvidersShare, TokenAmount Treasury, TokenAmount Unallocated,
    IReadOnlyList<ProviderShare> Shares)
{
    /// <summary>What leaves the rewards pool: the providers' parts and the treasury's.</summary>
    public TokenAmount Emitted => ProvidersShare + Treasury;

    /// <summary>
    /// Divides <paramref name="emission"/>. Rules, in order:
    /// <list type="number">
    /// <item>An epoch in which no contribution counts (nobody billed anything in a kind with a weight, or every
    /// reliability weight is zero) emits nothing: the whole emission stays unallocated, the treasury's share too, so
    /// an idle network pays nobody.</item>
    /// <item>Otherwise the providers get <c>emission × ProvidersBps ÷ 10000</c> rounded down, and the treasury the
    /// rest (so the treasury takes the rounding of this one division).</item>
    /// <item>Each provider's score is its reliability × Σ over the kinds with contributions of
    /// <c>weight × its quantity ÷ the kind's total</c>, taken exactly (over a common denominator, in integers).</item>
    /// <item>The providers' share is split in proportion to the scores by the largest remainder
    /// (<see cref="TokenAmount.Split"/>), providers ordered by id: the parts sum exactly to the providers' share, none
    /// is more than one base unit from its exact part, and ties go to the smaller provider id.</item>
    /// </list>
    /// The order of <paramref name="contributions"/> does not matter.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid rules or contributions, or one provider listed twice.</exception>
    public static RewardAllocation Compute(TokenAmount emission, RewardSplitRules rules, IEnumerable<ProviderContribution> contributions)
    {
        if (!rules.IsValid)
        {
            throw new ArgumentException($"The reward split rules are not valid: {rules}.", nameof(rules));
        }
        var ordered = contributions.OrderBy(c => c.ProviderId.ToString("D"), StringComparer.Ordinal).ToArray();
        foreach (var invalid in ordered.Where(c => !c.IsValid))
        {
            throw new ArgumentException($"A contribution must have no negative quantity and a reliability of 0 to {Reliability.Full}; got {invalid}.", nameof(contributions));
        }
        if (ordered.GroupBy(c => c.ProviderId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Provider {twice.Key} contributes more than once; sum its quantities first.", nameof(contributions));
        }

        var scores = Scores(rules, ordered);
        if (emission.IsZero || scores.All(s => s.IsZero))
        {
            return new RewardAllocation(emission, TokenAmount.Zero, TokenAmount.Zero, emission,
                ordered.Select(c => new ProviderShare(c, TokenAmount.Zero)).ToArray());
        }
        var providers = emission.BasisPoints(rules.ProvidersBps).Quotient;
        var parts = providers.Split(scores);
        return new RewardAllocation(emission, providers, emission - providers, TokenAmount.Zero,
            ordered.Select((c, i) => new ProviderShare(c, parts[i])).ToArray());
    }

    /// <summary>
    /// Each provider's score as an integer: the exact rational score times the product of the kinds' totals (every
    /// kind's <c>1 ÷ total</c> then becomes a whole multiple), which scales all scores alike and so leaves the split as is.
    /// </summary>
    private static BigInteger[] Scores(RewardSplitRules rules, ProviderContribution[] contributions)
    {
        var kinds = new (int Weight, Func<ProviderContribution, BigInteger> Quantity)[]
        {
            (rules.ComputeWeight, c => c.GpuSeconds),
            (rules.StorageWeight, c => c.GbHours),
            (rules.ModelWeight, c => c.ModelTokens),
        };
        var active = kinds
            .Select(k => (k.Weight, k.Quantity, Total: contributions.Aggregate(BigInteger.Zero, (sum, c) => sum + k.Quantity(c))))
            .Where(k => k.Weight > 0 && !k.Total.IsZero)
            .ToArray();
        var common = active.Aggregate(BigInteger.One, (product, k) => product * k.Total);
        return contributions
            .Select(c => c.ReliabilityBps * active.Aggregate(BigInteger.Zero, (score, k) => score + k.Weight * k.Quantity(c) * (common / k.Total)))
            .ToArray();
    }
}
