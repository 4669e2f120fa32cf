using DepinMarket.Domain.Money;
using DepinMarket.Domain.Trust;

namespace DepinMarket.Domain.Tests.Trust;

public sealed class ScoreConsensusTests
{
    private static Guid Id(int n) => new(n, 0, 0, new byte[8]);

    private static ValidatorScores Validator(int id, long stake, double trust, params (int Offer, double Score)[] scores) =>
        new(Id(id), TokenAmount.FromWholeTokens(stake), trust, scores.ToDictionary(s => Id(s.Offer), s => s.Score));

    private static OfferConsensus Offer(ConsensusResult result, int id) => result.Offers.Single(o => o.OfferId == Id(id));

    private static ValidatorOutcome Outcome(ConsensusResult result, int id) => result.Validators.Single(v => v.ValidatorId == Id(id));

    [Fact]
    public void The_weighted_median_follows_the_weight_not_the_count()
    {
        // Weights 4, 1, 2 (total 7): 0.2 alone holds more than half, though the unweighted median is 0.5.
        Assert.Equal(0.2, ScoreConsensus.WeightedMedian([(0.5, 1), (0.9, 2), (0.2, 4)]));
        // Weights 1, 3, 1: the middle value holds 3 of 5.
        Assert.Equal(0.6, ScoreConsensus.WeightedMedian([(0.1, 1), (0.6, 3), (0.7, 1)]));
    }

    [Fact]
    public void A_weighted_median_whose_weight_splits_exactly_in_two_is_the_midpoint()
    {
        Assert.Equal(0.5, ScoreConsensus.WeightedMedian([(0.2, 1), (0.8, 1)]));
        // 0.1 and 0.3 hold 2 of 4 between them; 0.6 and 0.9 the other 2: between 0.3 and 0.6.
        Assert.Equal(0.45, ScoreConsensus.WeightedMedian([(0.9, 1), (0.1, 1), (0.6, 1), (0.3, 1)])!.Value, precision: 12);
    }

    [Fact]
    public void A_weighted_median_ignores_values_without_weight_and_is_unknown_when_nothing_has_weight()
    {
        Assert.Equal(0.7, ScoreConsensus.WeightedMedian([(0.7, 2), (0.0, 0), (0.1, 0), (0.2, 0)]));
        Assert.Null(ScoreConsensus.WeightedMedian([(0.7, 0)]));
        Assert.Null(ScoreConsensus.WeightedMedian([]));
    }

    [Fact]
    public void A_weighted_median_refuses_values_and_weights_that_are_not_numbers()
    {
        Assert.Throws<ArgumentException>(() => ScoreConsensus.WeightedMedian([(double.NaN, 1)]));
        Assert.Throws<ArgumentException>(() => ScoreConsensus.WeightedMedian([(0.5, double.NaN)]));
        Assert.Throws<ArgumentException>(() => ScoreConsensus.WeightedMedian([(0.5, double.PositiveInfinity)]));
        Assert.Throws<ArgumentException>(() => ScoreConsensus.WeightedMedian([(0.5, -1)]));
    }

    [Fact]
    public void The_stake_weighted_median_and_clipped_mean_worked_by_hand()
    {
        // Stakes 40, 10, 20 scoring 0.2, 0.5, 0.9: the median is 0.2 (40 of 70). Clipped into [0.1, 0.3]: 0.2, 0.3, 0.3.
        // Consensus = (40 × 0.2 + 10 × 0.3 + 20 × 0.3) ÷ 70 = 17 ÷ 70.
        var result = ScoreConsensus.Compute([Validator(1, 40, 1, (7, 0.2)), Validator(2, 10, 1, (7, 0.5)), Validator(3, 20, 1, (7, 0.9))]);
        var offer = Offer(result, 7);
        Assert.Equal(0.2, offer.Median);
        Assert.Equal(17.0 / 70, offer.Score!.Value, precision: 12);
        Assert.Equal(3, offer.Validators);
        Assert.Equal(70e18, offer.TotalWeight, precision: 0);
    }

    [Fact]
    public void Trust_scales_a_validators_stake_into_its_weight()
    {
        // The 40 staked at trust 0.25 weigh 10: weights 10, 10, 20 split exactly at 0.5 and 0.9, so the median is 0.7.
        var result = ScoreConsensus.Compute([Validator(1, 40, 0.25, (7, 0.2)), Validator(2, 10, 1, (7, 0.5)), Validator(3, 20, 1, (7, 0.9))]);
        Assert.Equal(0.7, Offer(result, 7).Median!.Value, precision: 12);
        Assert.Equal(10e18, Outcome(result, 1).EffectiveWeight, precision: 0);
        Assert.Equal(40e18, Offer(result, 7).TotalWeight, precision: 0);
    }

    [Fact]
    public void Two_equal_validators_that_disagree_meet_in_the_middle()
    {
        var result = ScoreConsensus.Compute([Validator(1, 10, 1, (7, 0.2)), Validator(2, 10, 1, (7, 0.8))]);
        Assert.Equal(0.5, Offer(result, 7).Median);
        // Both clipped into [0.4, 0.6]: 0.4 and 0.6.
        Assert.Equal(0.5, Offer(result, 7).Score!.Value, precision: 12);
        Assert.Equal(0.3, Outcome(result, 1).Divergence!.Value, precision: 12);
        Assert.Equal(0.3, Outcome(result, 2).Divergence!.Value, precision: 12);
    }

    [Fact]
    public void Validators_that_agree_give_their_score_and_keep_full_trust()
    {
        var result = ScoreConsensus.Compute([Validator(1, 10, 1, (7, 0.65)), Validator(2, 30, 1, (7, 0.65)), Validator(3, 5, 1, (7, 0.65))]);
        Assert.Equal(0.65, Offer(result, 7).Score!.Value, precision: 12);
        Assert.All(result.Validators, v => Assert.Equal((0.0, 1.0), (v.Divergence, v.NewTrust)));
    }

    [Fact]
    public void A_single_validator_is_the_consensus_and_agreeing_with_itself_raises_its_trust()
    {
        var result = ScoreConsensus.Compute([Validator(1, 10, 0.5, (7, 0.3), (8, 0.9))]);
        Assert.Equal([0.3, 0.9], result.Offers.Select(o => o.Score!.Value));
        // 0.8 × 0.5 + 0.2 × 1.
        Assert.Equal(0.6, Assert.Single(result.Validators).NewTrust, precision: 12);
    }

    [Fact]
    public void Divergence_is_the_mean_distance_from_the_median_and_trust_moves_a_fifth_of_the_way_to_the_agreement()
    {
        // Validator 1 (stake 90) sets each median; validator 3 is 0.1 and 0.2 off: divergence 0.15, agreement
        // 1 − 0.15 ÷ 0.3 = 0.5, new trust 0.8 × 1 + 0.2 × 0.5 = 0.9. Validator 2 is 0.4 and 0.5 off: agreement 0, trust 0.8 × 0.5.
        var result = ScoreConsensus.Compute([
            Validator(1, 90, 1, (7, 0.5), (8, 0.5)),
            Validator(2, 5, 0.5, (7, 0.9), (8, 0.0)),
            Validator(3, 5, 1, (7, 0.6), (8, 0.3)),
        ]);
        Assert.Equal(0.15, Outcome(result, 3).Divergence!.Value, precision: 12);
        Assert.Equal(0.9, Outcome(result, 3).NewTrust, precision: 12);
        Assert.Equal(0.45, Outcome(result, 2).Divergence!.Value, precision: 12);
        Assert.Equal(0.4, Outcome(result, 2).NewTrust, precision: 12);
        Assert.Equal(1.0, Outcome(result, 1).NewTrust);
    }

    [Fact]
    public void The_settings_change_the_band_the_learning_rate_and_the_scale()
    {
        var settings = new ConsensusSettings(ClipBand: 0.5, TrustLearningRate: 1, DivergenceScale: 0.6);
        var result = ScoreConsensus.Compute([Validator(1, 30, 1, (7, 0.2)), Validator(2, 10, 1, (7, 0.8))], settings);
        // Median 0.2; 0.8 clipped to 0.7: (30 × 0.2 + 10 × 0.7) ÷ 40. Validator 2: divergence 0.6, agreement 0, α 1.
        Assert.Equal(13.0 / 40, Offer(result, 7).Score!.Value, precision: 12);
        Assert.Equal(0.0, Outcome(result, 2).NewTrust);
    }

    [Fact]
    public void A_validator_without_weight_moves_nothing_but_is_still_judged()
    {
        ValidatorScores[] weighted = [Validator(1, 30, 1, (7, 0.4), (8, 0.8)), Validator(2, 20, 1, (7, 0.5), (8, 0.7))];
        var without = ScoreConsensus.Compute(weighted);
        var withIdle = ScoreConsensus.Compute([.. weighted, Validator(3, 50, 0, (7, 0.45), (8, 0.75)), Validator(4, 0, 1, (7, 1), (8, 0))]);

        Assert.Equal(without.Offers.Select(o => (o.Score, o.Median, o.TotalWeight)), withIdle.Offers.Select(o => (o.Score, o.Median, o.TotalWeight)));
        Assert.Equal([3, 3], withIdle.Offers.Select(o => o.Validators - 1));
        // The trustless validator agreed (0.05 off each time) and earns trust back; the stakeless one diverged and loses it.
        Assert.Equal(0.2 * (1 - 0.05 / 0.3), Outcome(withIdle, 3).NewTrust, precision: 12);
        Assert.Equal(0.8, Outcome(withIdle, 4).NewTrust, precision: 12);
    }

    [Fact]
    public void An_offer_only_validators_without_weight_scored_has_no_consensus_and_does_not_count_in_their_divergence()
    {
        var result = ScoreConsensus.Compute([Validator(1, 10, 1, (7, 0.5)), Validator(2, 10, 0, (7, 0.5), (9, 0.1))]);
        var orphan = Offer(result, 9);
        Assert.Equal((null, null, 1, 0.0), (orphan.Score, orphan.Median, orphan.Validators, orphan.TotalWeight));
        Assert.Equal((2, 0.0), (Outcome(result, 2).OffersScored, Outcome(result, 2).Divergence!.Value));
    }

    [Fact]
    public void A_validator_with_nothing_to_compare_keeps_its_trust()
    {
        var result = ScoreConsensus.Compute([Validator(1, 10, 1, (7, 0.5)), Validator(2, 10, 0.37), Validator(3, 0, 0.6, (9, 0.5))]);
        Assert.Equal((null, 0.37), (Outcome(result, 2).Divergence, Outcome(result, 2).NewTrust));
        Assert.Equal((null, 0.6), (Outcome(result, 3).Divergence, Outcome(result, 3).NewTrust));
    }

    [Fact]
    public void The_result_does_not_depend_on_the_order_of_validators_or_scores()
    {
        var random = new Random(61);
        for (var i = 0; i < 100; i++)
        {
            var validators = Enumerable.Range(1, random.Next(1, 12)).Select(id => new ValidatorScores(Id(id),
                new TokenAmount(random.NextInt64(0, long.MaxValue)), random.Next(4) == 0 ? 1 : random.NextDouble(),
                Enumerable.Range(1, 6).Where(_ => random.Next(3) > 0).ToDictionary(Id, _ => Math.Round(random.NextDouble(), 2)))).ToArray();
            var shuffled = validators.OrderBy(_ => random.Next())
                .Select(v => v with { Scores = v.Scores.OrderBy(_ => random.Next()).ToDictionary() }).ToArray();

            var expected = ScoreConsensus.Compute(validators);
            var actual = ScoreConsensus.Compute(shuffled);
            Assert.Equal(expected.Offers, actual.Offers);
            Assert.Equal(expected.Validators, actual.Validators);
        }
    }

    [Fact]
    public void Mirrored_scores_give_the_mirrored_consensus()
    {
        var random = new Random(67);
        for (var i = 0; i < 200; i++)
        {
            // Scores in hundredths and whole-token stakes, so ties and exact half splits are common.
            var validators = Enumerable.Range(1, random.Next(1, 8)).Select(id => Validator(id, random.Next(0, 5), 1,
                Enumerable.Range(1, 4).Select(offer => (offer, random.Next(0, 101) / 100.0)).ToArray())).ToArray();
            var mirrored = validators.Select(v => v with { Scores = v.Scores.ToDictionary(s => s.Key, s => 1 - s.Value) });

            var original = ScoreConsensus.Compute(validators).Offers;
            var flipped = ScoreConsensus.Compute(mirrored).Offers;
            for (var k = 0; k < original.Count; k++)
            {
                Assert.Equal(original[k].Score is null, flipped[k].Score is null);
                if (original[k].Score is { } score)
                {
                    Assert.Equal(1 - score, flipped[k].Score!.Value, precision: 9);
                    Assert.Equal(1 - original[k].Median!.Value, flipped[k].Median!.Value, precision: 9);
                }
            }
        }
    }

    [Fact]
    public void An_honest_majority_of_stake_keeps_its_ranking_against_a_minority_that_inverts_it()
    {
        var random = new Random(71);
        for (var i = 0; i < 1000; i++)
        {
            var (truth, honest, dishonest) = HonestMajorityCase(random);
            var offers = truth.Keys.ToArray();
            var inverted = Inversion(random.Next(2), truth);
            var validators = honest.Select((stake, k) => new ValidatorScores(Id(k + 1), stake, 1,
                    truth.ToDictionary(t => t.Key, t => Math.Clamp(t.Value + (random.NextDouble() - 0.5) * 2 * HonestNoise, 0, 1))))
                .Concat(dishonest.Select((stake, k) => new ValidatorScores(Id(1000 + k), stake, 1, inverted)));

            var consensus = ScoreConsensus.Compute(validators).Offers.ToDictionary(o => o.OfferId, o => o.Score!.Value);
            Assert.Equal(offers.OrderBy(o => truth[o]), offers.OrderBy(o => consensus[o]));
            // The median stays among the honest scores and the minority pulls at most its share (< 49%) × the band.
            Assert.All(offers, o => Assert.InRange(consensus[o] - truth[o], -0.07, 0.07));
        }
    }

    [Fact]
    public void A_dishonest_validators_trust_falls_epoch_after_epoch_and_its_pull_on_consensus_shrinks()
    {
        var truth = new Dictionary<Guid, double> { [Id(1)] = 0.1, [Id(2)] = 0.4, [Id(3)] = 0.7, [Id(4)] = 0.95 };
        var validators = new[]
        {
            new ValidatorScores(Id(1), TokenAmount.FromWholeTokens(20), 1, truth),
            new ValidatorScores(Id(2), TokenAmount.FromWholeTokens(20), 1, truth),
            new ValidatorScores(Id(3), TokenAmount.FromWholeTokens(20), 1, truth),
            new ValidatorScores(Id(9), TokenAmount.FromWholeTokens(40), 1, truth.ToDictionary(t => t.Key, t => 1 - t.Value)),
        };
        var trusts = new List<double>();
        var shares = new List<double>();
        var errors = new List<double>();
        for (var epoch = 0; epoch < 12; epoch++)
        {
            var result = ScoreConsensus.Compute(validators);
            var liar = result.Validators.Single(v => v.ValidatorId == Id(9));
            trusts.Add(liar.NewTrust);
            shares.Add(liar.EffectiveWeight / result.Validators.Sum(v => v.EffectiveWeight));
            errors.Add(result.Offers.Max(o => Math.Abs(o.Score!.Value - truth[o.OfferId])));
            Assert.All(result.Validators.Where(v => v.ValidatorId != Id(9)), v => Assert.Equal(1.0, v.NewTrust));
            validators = [.. result.Validators.Select((v, k) => validators[k] with { Trust = v.NewTrust })];
        }

        Assert.All(trusts.Zip(trusts.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"trust {pair.First} then {pair.Second}"));
        Assert.All(shares.Zip(shares.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"share {pair.First} then {pair.Second}"));
        Assert.All(errors.Zip(errors.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"error {pair.First} then {pair.Second}"));
        Assert.True(trusts[^1] < 0.1, $"after 12 epochs the liar still has a trust of {trusts[^1]}");
        Assert.True(errors[^1] < 0.01, $"after 12 epochs the liar still pulls consensus by {errors[^1]}");
    }

    [Fact]
    public void Scores_and_trust_that_are_not_numbers_from_0_to_1_are_refused()
    {
        foreach (var bad in new[] { double.NaN, -0.01, 1.01, double.PositiveInfinity, double.NegativeInfinity })
        {
            Assert.Throws<ArgumentException>(() => ScoreConsensus.Compute([Validator(1, 10, 1, (7, bad))]));
            Assert.Throws<ArgumentException>(() => ScoreConsensus.Compute([Validator(1, 10, bad, (7, 0.5))]));
        }
    }

    [Fact]
    public void A_validator_listed_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ScoreConsensus.Compute([Validator(1, 10, 1, (7, 0.5)), Validator(1, 20, 1, (8, 0.5))]));
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        ValidatorScores[] validators = [Validator(1, 10, 1, (7, 0.5))];
        foreach (var settings in new ConsensusSettings[]
        {
            new(ClipBand: double.NaN), new(ClipBand: -0.1), new(ClipBand: 1.5),
            new(TrustLearningRate: double.NaN), new(TrustLearningRate: -0.1), new(TrustLearningRate: 1.1),
            new(DivergenceScale: 0), new(DivergenceScale: double.NaN), new(DivergenceScale: double.PositiveInfinity),
        })
        {
            Assert.False(settings.IsValid, settings.ToString());
            Assert.Throws<ArgumentException>(() => ScoreConsensus.Compute(validators, settings));
        }
        Assert.True(ConsensusSettings.Default.IsValid);
    }

    private const double HonestNoise = 0.02;

    /// <summary>
    /// Offers with true scores at least 0.2 apart (2 to 5 of them, in a random order), honest stakes, and dishonest
    /// stakes that together hold at most 49% of all stake (sometimes none, sometimes exactly 49%).
    /// </summary>
    private static (Dictionary<Guid, double> Truth, TokenAmount[] Honest, TokenAmount[] Dishonest) HonestMajorityCase(Random random)
    {
        var count = random.Next(2, 6);
        var parts = Enumerable.Range(0, count + 1).Select(_ => random.NextDouble()).ToArray();
        var slack = (1 - 0.2 * (count - 1)) / parts.Sum();
        var values = new double[count];
        for (var k = 0; k < count; k++)
        {
            values[k] = (k == 0 ? 0 : values[k - 1] + 0.2) + parts[k] * slack;
        }
        var truth = values.OrderBy(_ => random.Next()).Select((v, k) => (Offer: Id(100 + k), v)).ToDictionary(t => t.Offer, t => t.v);

        var honest = Enumerable.Range(0, random.Next(1, 7)).Select(_ => TokenAmount.FromWholeTokens(random.Next(1, 1_000_000))).ToArray();
        var dishonest = Enumerable.Range(0, random.Next(0, 7)).Select(_ => TokenAmount.FromWholeTokens(random.Next(1, 1_000_000))).ToArray();
        var (h, d) = (TokenAmount.Sum(honest), TokenAmount.Sum(dishonest));
        if (dishonest.Length > 0 && (random.Next(4) == 0 || d.BaseUnits * 51 > h.BaseUnits * 49))
        {
            // Scaled to 49% of the stake, rounded down: the most a minority may hold.
            dishonest = [.. dishonest.Select(s => s.MulDiv(h.BaseUnits * 49, d.BaseUnits * 51).Quotient)];
        }
        return (truth, honest, dishonest);
    }

    /// <summary>The honest ranking turned upside down: 1 − the true score, or the worst offer 1, the best 0 and the rest evenly between.</summary>
    private static Dictionary<Guid, double> Inversion(int kind, Dictionary<Guid, double> truth)
    {
        if (kind == 0)
        {
            return truth.ToDictionary(t => t.Key, t => 1 - t.Value);
        }
        var byRank = truth.OrderBy(t => t.Value).Select(t => t.Key).ToArray();
        return byRank.Select((offer, rank) => (offer, rank)).ToDictionary(r => r.offer, r => 1 - (double)r.rank / (byRank.Length - 1));
    }
}
