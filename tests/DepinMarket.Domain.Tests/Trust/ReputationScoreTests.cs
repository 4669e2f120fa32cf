using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Tests.Trust;

public sealed class ReputationScoreTests
{
    private static readonly ReputationInputs EveryKind = new(HasStorageOffers: true, HasModelOffers: true);

    private static ReputationComponent Component(Reputation reputation, string name) => reputation.Components.Single(c => c.Name == name);

    [Fact]
    public void A_new_provider_lands_in_the_middle_not_at_either_end()
    {
        // Half of uptime (40), rentals (20), proofs (15) and model (15), and all 10 no-slash points.
        Assert.Equal(55.0m, ReputationScore.For(EveryKind).Score);
        // Compute only: (20 + 10 + 10) of 70 applicable points, scaled to 100.
        Assert.Equal(57.1m, ReputationScore.For(new ReputationInputs()).Score);
    }

    [Fact]
    public void Every_component_is_listed_in_a_fixed_order_and_the_points_add_up_to_the_score()
    {
        var reputation = ReputationScore.For(new ReputationInputs(Uptime30Days: 0.992, RentalsCompleted: 12, RentalsEndedByProviderFault: 1,
            HasStorageOffers: true, ProofsPassed: 40, ProofsFailed: 1, ProofsMissed: 2, HasModelOffers: true, ModelScore: 0.82, SlashesLast30Days: 1));
        Assert.Equal(["uptime", "rentals", "storageProofs", "modelScore", "slashes"], reputation.Components.Select(c => c.Name));
        Assert.Equal([40.0, 20, 15, 15, 10], reputation.Components.Select(c => c.Weight));
        // 40 × 0.92 + 20 × 13/15 + 15 × 41/45 + 15 × 0.82 + 10 × 0.5 = 36.8 + 17.333 + 13.667 + 12.3 + 5.
        Assert.Equal(85.1m, reputation.Score);
        Assert.Equal((double)reputation.Score, reputation.Components.Sum(c => c.Points), precision: 1);
    }

    [Fact]
    public void Each_explanation_names_the_inputs_it_counted()
    {
        var reputation = ReputationScore.For(new ReputationInputs(Uptime30Days: 0.992, RentalsCompleted: 12, RentalsEndedByProviderFault: 1,
            ProofsPassed: 40, ProofsFailed: 1, ProofsMissed: 2, SlashesLast30Days: 1));
        Assert.StartsWith("99.2% up over the last 30 days", Component(reputation, "uptime").Explanation);
        Assert.Equal("Rentals: 12 completed, 1 ended by the provider's fault; (12 + 1) ÷ (13 + 2) = 0.867, so a provider without history starts in the middle.",
            Component(reputation, "rentals").Explanation);
        Assert.StartsWith("Storage proofs: 40 passed, 1 failed, 2 missed; (40 + 1) ÷ (43 + 2)", Component(reputation, "storageProofs").Explanation);
        Assert.StartsWith("Not applicable", Component(reputation, "modelScore").Explanation);
        Assert.StartsWith("Slashes in the last 30 days: 1;", Component(reputation, "slashes").Explanation);
    }

    [Fact]
    public void Uptime_earns_nothing_at_or_below_90_percent_and_everything_at_100()
    {
        double? Standing(double uptime) => Component(ReputationScore.For(new ReputationInputs(Uptime30Days: uptime)), "uptime").Value;
        Assert.Equal(0, Standing(0));
        Assert.Equal(0, Standing(0.9));
        Assert.Equal(0.5, Standing(0.95)!.Value, precision: 12);
        Assert.Equal(0.9, Standing(0.99)!.Value, precision: 12);
        Assert.Equal(1, Standing(1));
        Assert.Equal(0.5, Component(ReputationScore.For(new ReputationInputs()), "uptime").Value);
    }

    [Fact]
    public void Each_slash_takes_half_of_the_no_slash_points_and_they_never_go_below_zero()
    {
        double Points(int slashes) => Component(ReputationScore.For(EveryKind with { SlashesLast30Days = slashes }), "slashes").Points;
        Assert.Equal([10.0, 5, 0, 0], new[] { 0, 1, 2, 7 }.Select(Points));
    }

    [Fact]
    public void Components_that_do_not_apply_are_left_out_and_their_weight_goes_to_the_others()
    {
        var computeOnly = ReputationScore.For(new ReputationInputs(Uptime30Days: 0.99, RentalsCompleted: 50, RentalsEndedByProviderFault: 2));
        Assert.Equal((null, 0.0, 0.0), (Component(computeOnly, "storageProofs").Value, Component(computeOnly, "storageProofs").Weight, Component(computeOnly, "storageProofs").Points));
        Assert.Equal((null, 0.0, 0.0), (Component(computeOnly, "modelScore").Value, Component(computeOnly, "modelScore").Weight, Component(computeOnly, "modelScore").Points));
        Assert.Equal(100, computeOnly.Components.Sum(c => c.Weight), precision: 9);
        Assert.Equal(40.0 * 100 / 70, Component(computeOnly, "uptime").Weight, precision: 9);
        // (40 × 0.9 + 20 × 51/54 + 10) ÷ 70 × 100 = 92.70…
        Assert.Equal(92.7m, computeOnly.Score);
    }

    [Fact]
    public void A_flawless_provider_of_one_kind_can_reach_the_top_like_one_of_every_kind()
    {
        var flawlessCompute = new ReputationInputs(Uptime30Days: 1, RentalsCompleted: 100_000);
        var flawlessEverything = flawlessCompute with { HasStorageOffers = true, ProofsPassed = 100_000, HasModelOffers = true, ModelScore = 1 };
        Assert.Equal(100.0m, ReputationScore.For(flawlessCompute).Score);
        Assert.Equal(100.0m, ReputationScore.For(flawlessEverything).Score);
    }

    [Fact]
    public void Withdrawing_storage_or_model_offers_does_not_hide_their_record()
    {
        var storage = new ReputationInputs(Uptime30Days: 0.999, RentalsCompleted: 40, HasStorageOffers: true, ProofsPassed: 3, ProofsFailed: 20);
        Assert.Equal(ReputationScore.For(storage).Components, ReputationScore.For(storage with { HasStorageOffers = false }).Components);
        var model = new ReputationInputs(Uptime30Days: 0.999, RentalsCompleted: 40, HasModelOffers: true, ModelScore: 0.1);
        Assert.Equal(ReputationScore.For(model).Components, ReputationScore.For(model with { HasModelOffers = false }).Components);
    }

    [Fact]
    public void The_score_stays_between_0_and_100_and_every_value_between_0_and_1()
    {
        var random = new Random(73);
        for (var i = 0; i < 2000; i++)
        {
            var reputation = ReputationScore.For(RandomInputs(random));
            Assert.InRange(reputation.Score, 0m, 100m);
            Assert.All(reputation.Components, c => Assert.InRange(c.Value ?? 0, 0, 1));
            Assert.Equal(100, reputation.Components.Sum(c => c.Weight), precision: 9);
            Assert.InRange((double)reputation.Score - reputation.Components.Sum(c => c.Points), -0.05 - 1e-9, 0.05 + 1e-9);
        }
        var worst = new ReputationInputs(Uptime30Days: 0, RentalsEndedByProviderFault: int.MaxValue, HasStorageOffers: true,
            ProofsFailed: int.MaxValue, ProofsMissed: int.MaxValue, HasModelOffers: true, ModelScore: 0, SlashesLast30Days: int.MaxValue);
        Assert.Equal(0.0m, ReputationScore.For(worst).Score);
    }

    [Fact]
    public void More_failures_never_raise_the_score_and_more_success_never_lowers_it()
    {
        var random = new Random(79);
        for (var i = 0; i < 2000; i++)
        {
            // The same components apply on both sides: a provider with storage offers compared with itself.
            var before = RandomInputs(random) with { HasStorageOffers = true };
            var score = ReputationScore.For(before).Score;
            var more = random.Next(1, 50);
            var worse = new[]
            {
                before with { RentalsEndedByProviderFault = before.RentalsEndedByProviderFault + more },
                before with { ProofsFailed = before.ProofsFailed + more },
                before with { ProofsMissed = before.ProofsMissed + more },
                before with { SlashesLast30Days = before.SlashesLast30Days + more },
                before with { Uptime30Days = before.Uptime30Days is { } u ? u * random.NextDouble() : null },
                before with { ModelScore = before.ModelScore is { } m ? m * random.NextDouble() : null },
            };
            var better = new[]
            {
                before with { RentalsCompleted = before.RentalsCompleted + more },
                before with { ProofsPassed = before.ProofsPassed + more },
                before with { Uptime30Days = before.Uptime30Days is { } uptime ? uptime + (1 - uptime) * random.NextDouble() : null },
                before with { ModelScore = before.ModelScore is { } model ? model + (1 - model) * random.NextDouble() : null },
            };
            Assert.All(worse, after => Assert.True(ReputationScore.For(after).Score <= score, $"{before} scored {score}, {after} more"));
            Assert.All(better, after => Assert.True(ReputationScore.For(after).Score >= score, $"{before} scored {score}, {after} less"));
        }
    }

    [Fact]
    public void A_fault_lowers_the_rentals_standing_and_weighs_less_as_history_grows()
    {
        double Standing(int completed, int faults) =>
            Component(ReputationScore.For(new ReputationInputs(RentalsCompleted: completed, RentalsEndedByProviderFault: faults)), "rentals").Value!.Value;
        Assert.True(Standing(0, 1) < Standing(0, 0));
        Assert.True(Standing(100, 1) < Standing(100, 0));
        Assert.True(Standing(0, 0) - Standing(0, 1) > Standing(100, 0) - Standing(100, 1));
    }

    [Fact]
    public void Negative_counts_and_fractions_outside_0_to_1_are_refused()
    {
        foreach (var bad in new[]
        {
            new ReputationInputs(Uptime30Days: double.NaN), new ReputationInputs(Uptime30Days: 1.01), new ReputationInputs(Uptime30Days: -0.01),
            new ReputationInputs(ModelScore: double.NaN), new ReputationInputs(ModelScore: 2),
            new ReputationInputs(RentalsCompleted: -1), new ReputationInputs(RentalsEndedByProviderFault: -1),
            new ReputationInputs(ProofsPassed: -1), new ReputationInputs(ProofsFailed: -1), new ReputationInputs(ProofsMissed: -1),
            new ReputationInputs(SlashesLast30Days: -1),
        })
        {
            Assert.Throws<ArgumentException>(() => ReputationScore.For(bad));
        }
    }

    private static ReputationInputs RandomInputs(Random random) => new(
        Uptime30Days: random.Next(5) == 0 ? null : random.Next(3) == 0 ? random.NextDouble() : 0.85 + 0.15 * random.NextDouble(),
        RentalsCompleted: random.Next(0, 500),
        RentalsEndedByProviderFault: random.Next(0, 20),
        HasStorageOffers: random.Next(2) == 0,
        ProofsPassed: random.Next(3) == 0 ? 0 : random.Next(0, 1000),
        ProofsFailed: random.Next(0, 10),
        ProofsMissed: random.Next(0, 10),
        HasModelOffers: random.Next(2) == 0,
        ModelScore: random.Next(3) == 0 ? null : random.NextDouble(),
        SlashesLast30Days: random.Next(0, 4));
}
