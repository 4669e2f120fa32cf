using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rewards;

namespace DepinMarket.Domain.Tests.Rewards;

public sealed class RewardAllocationTests
{
    private static readonly RewardSplitRules Rules = new(ProvidersBps: 9000, ComputeWeight: 60, StorageWeight: 20, ModelWeight: 20);

    private static ProviderContribution Of(int id, long gpuSeconds = 0, long gbHours = 0, long tokens = 0, int reliability = Reliability.Full) =>
        new(new Guid(id, 0, 0, new byte[8]), gpuSeconds, gbHours, tokens, reliability);

    [Fact]
    public void The_providers_get_their_share_by_weighted_contribution_and_the_treasury_the_rest()
    {
        // 100 tokens: 90 to providers. Compute (60) and storage (20) are active, model idle: compute gets 90 × 60/80 = 67.5,
        // storage 22.5. A has 3/4 of the GPU-seconds, B 1/4 of them and all the GB-hours.
        var allocation = RewardAllocation.Compute(TokenAmount.Parse("100"), Rules, [Of(1, gpuSeconds: 3600), Of(2, gpuSeconds: 1200, gbHours: 5)]);
        Assert.Equal(TokenAmount.Parse("90"), allocation.ProvidersShare);
        Assert.Equal(TokenAmount.Parse("10"), allocation.Treasury);
        Assert.True(allocation.Unallocated.IsZero);
        Assert.Equal(["50.625", "39.375"], allocation.Shares.Select(s => s.Amount.ToString()));
        Assert.Equal(TokenAmount.Parse("100"), allocation.Emitted);
    }

    [Fact]
    public void An_epoch_nobody_contributed_to_emits_nothing_not_even_the_treasurys_share()
    {
        var nobody = RewardAllocation.Compute(TokenAmount.Parse("100"), Rules, []);
        Assert.Equal((TokenAmount.Zero, TokenAmount.Zero, TokenAmount.Parse("100")), (nobody.ProvidersShare, nobody.Treasury, nobody.Unallocated));
        // Contributions only in a kind without weight, or from providers whose reliability counts for nothing, are none either.
        var unweighted = RewardAllocation.Compute(TokenAmount.Parse("100"), Rules with { ModelWeight = 0 }, [Of(1, tokens: 5000)]);
        Assert.Equal(TokenAmount.Parse("100"), unweighted.Unallocated);
        Assert.True(Assert.Single(unweighted.Shares).Amount.IsZero);
        var unreliable = RewardAllocation.Compute(TokenAmount.Parse("100"), Rules, [Of(1, gpuSeconds: 10, reliability: 0)]);
        Assert.Equal(TokenAmount.Parse("100"), unreliable.Unallocated);
    }

    [Fact]
    public void The_parts_sum_exactly_to_the_emission_none_is_a_base_unit_off_and_input_order_does_not_matter()
    {
        var random = new Random(14);
        for (var i = 0; i < 500; i++)
        {
            var rules = new RewardSplitRules(random.Next(0, 10_001), random.Next(0, 100), random.Next(0, 100), random.Next(1, 100));
            var contributions = Enumerable.Range(1, random.Next(1, 30)).Select(id => Of(id,
                random.Next(3) == 0 ? 0 : random.NextInt64(1, 10_000_000), random.Next(3) == 0 ? 0 : random.NextInt64(1, 1_000),
                random.NextInt64(1, 1_000_000_000), random.Next(2) == 0 ? Reliability.Full : random.Next(0, Reliability.Full + 1))).ToArray();
            var emission = new TokenAmount(new BigInteger(random.NextInt64(0, long.MaxValue)) * random.Next(1, 1000));

            var allocation = RewardAllocation.Compute(emission, rules, contributions);
            Assert.Equal(emission, allocation.Emitted + allocation.Unallocated);
            Assert.Equal(allocation.ProvidersShare, TokenAmount.Sum(allocation.Shares.Select(s => s.Amount)));
            if (allocation.Unallocated.IsZero)
            {
                Assert.Equal(emission.BasisPoints(rules.ProvidersBps).Quotient, allocation.ProvidersShare);
            }
            else
            {
                Assert.Equal((TokenAmount.Zero, emission), (allocation.Emitted, allocation.Unallocated));
            }
            AssertWithinABaseUnitOfExact(allocation, rules);

            var shuffled = RewardAllocation.Compute(emission, rules, contributions.OrderBy(_ => random.Next()));
            Assert.Equal(allocation.Shares.Select(s => (s.Contribution.ProviderId, s.Amount)), shuffled.Shares.Select(s => (s.Contribution.ProviderId, s.Amount)));
        }
    }

    [Fact]
    public void Remainders_go_to_the_largest_cut_off_fraction_and_ties_to_the_smaller_provider_id()
    {
        // 10 base units to providers (100%), three equal contributions: 3 each, the one left over to the first by id.
        var rules = Rules with { ProvidersBps = 10_000 };
        var allocation = RewardAllocation.Compute(new TokenAmount(10), rules, [Of(3, gpuSeconds: 1), Of(1, gpuSeconds: 1), Of(2, gpuSeconds: 1)]);
        Assert.Equal([4, 3, 3], allocation.Shares.Select(s => (int)s.Amount.BaseUnits));
        Assert.Equal([1, 2, 3], allocation.Shares.Select(s => BitConverter.ToInt32(s.Contribution.ProviderId.ToByteArray(), 0)));
    }

    [Fact]
    public void A_reliability_weight_scales_a_contribution_and_the_providers_share_is_still_given_out_in_full()
    {
        var rules = Rules with { ProvidersBps = 10_000 };
        var allocation = RewardAllocation.Compute(TokenAmount.Parse("30"), rules, [Of(1, gpuSeconds: 100, reliability: 5000), Of(2, gpuSeconds: 100)]);
        Assert.Equal(["10", "20"], allocation.Shares.Select(s => s.Amount.ToString()));
    }

    [Fact]
    public void Invalid_rules_and_contributions_are_refused()
    {
        Assert.False(new RewardSplitRules(10_001, 1, 1, 1).IsValid);
        Assert.False(new RewardSplitRules(9000, 0, 0, 0).IsValid);
        Assert.False(new RewardSplitRules(9000, -1, 1, 1).IsValid);
        Assert.Throws<ArgumentException>(() => RewardAllocation.Compute(TokenAmount.Parse("1"), new RewardSplitRules(9000, 0, 0, 0), [Of(1, 1)]));
        Assert.Throws<ArgumentException>(() => RewardAllocation.Compute(TokenAmount.Parse("1"), Rules, [Of(1, gpuSeconds: -1)]));
        Assert.Throws<ArgumentException>(() => RewardAllocation.Compute(TokenAmount.Parse("1"), Rules, [Of(1, 1), Of(1, 2)]));
        Assert.Throws<ArgumentException>(() => RewardAllocation.Compute(TokenAmount.Parse("1"), Rules, [Of(1, 1, reliability: Reliability.Full + 1)]));
    }

    /// <summary>Each part against its exact rational share, computed here the two-stage way (kind first, then provider).</summary>
    private static void AssertWithinABaseUnitOfExact(RewardAllocation allocation, RewardSplitRules rules)
    {
        if (allocation.ProvidersShare.IsZero)
        {
            return;
        }
        var kinds = new (int Weight, Func<ProviderContribution, BigInteger> Quantity)[]
            { (rules.ComputeWeight, c => c.GpuSeconds), (rules.StorageWeight, c => c.GbHours), (rules.ModelWeight, c => c.ModelTokens) };
        var contributions = allocation.Shares.Select(s => s.Contribution).ToArray();
        var active = kinds.Select(k => (k.Weight, k.Quantity, Total: contributions.Aggregate(BigInteger.Zero, (t, c) => t + k.Quantity(c))))
            .Where(k => k.Weight > 0 && !k.Total.IsZero).ToArray();
        // score_p / Σ score as a fraction: numerator Σ_k w_k q_pk Π_{j≠k} Q_j × rel_p over the same summed for everyone.
        BigInteger Others(int k) => Enumerable.Range(0, active.Length).Where(j => j != k).Aggregate(BigInteger.One, (p, j) => p * active[j].Total);
        BigInteger Score(ProviderContribution c) => c.ReliabilityBps * Enumerable.Range(0, active.Length)
            .Aggregate(BigInteger.Zero, (s, k) => s + active[k].Weight * active[k].Quantity(c) * Others(k));
        var total = contributions.Aggregate(BigInteger.Zero, (t, c) => t + Score(c));
        foreach (var share in allocation.Shares)
        {
            var exactTimesTotal = allocation.ProvidersShare.BaseUnits * Score(share.Contribution);
            var difference = BigInteger.Abs(share.Amount.BaseUnits * total - exactTimesTotal);
            Assert.True(difference < total, $"{share} is more than a base unit from its exact share");
        }
    }
}
