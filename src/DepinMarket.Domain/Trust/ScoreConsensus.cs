using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Trust;

/// <summary>
/// One validator's scores for one epoch in one dimension (quality, latency: one run per dimension).
/// </summary>
/// <param name="Stake">What the validator has staked, in base units: the root of its say, as in Bittensor.</param>
/// <param name="Trust">
/// 0 to 1: how far its past scores agreed with consensus (<see cref="ValidatorOutcome.NewTrust"/> of the last epoch).
/// A new validator starts wherever the caller decides; 1 trusts it until it diverges, 0 makes it earn its say first.
/// </param>
/// <param name="Scores">Its score of each offer it measured, 0 (worst) to 1 (best); offers it did not measure are absent.</param>
public sealed record ValidatorScores(Guid ValidatorId, TokenAmount Stake, double Trust, IReadOnlyDictionary<Guid, double> Scores)
{
    /// <summary>
    /// Stake × trust: the weight of the validator's scores. Taken as a <see cref="double"/>: scores are doubles, and
    /// a weight's relative precision of 10^-16 moves no median or mean by anything that matters (2^256 base units fit easily).
    /// </summary>
    public double EffectiveWeight => (double)Stake.BaseUnits * Trust;
}

/// <param name="ClipBand">
/// How far from an offer's median a score may pull the consensus: each score is clipped into median ± band before
/// the mean. 0.1 bounds what a minority with share s of the weight can move any offer's consensus by to 0.1 × s.
/// </param>
/// <param name="TrustLearningRate">
/// α: how much one epoch moves a validator's trust towards its agreement (new = (1 − α) × old + α × agreement).
/// 0.2 forgets an epoch's evidence by 1/5 a step: about ten epochs to lose or earn most of one's trust, so one bad
/// epoch (a network partition between validator and node) costs a fifth, not everything.
/// </param>
/// <param name="DivergenceScale">
/// The mean divergence from the median at which agreement is zero: agreement = max(0, 1 − divergence ÷ scale). 0.3
/// lets honest measurement noise (a few hundredths) keep trust near 1 while a validator 0.3 off on average, which
/// no honest measurement is, earns nothing.
/// </param>
public sealed record ConsensusSettings(double ClipBand = 0.1, double TrustLearningRate = 0.2, double DivergenceScale = 0.3)
{
    public static ConsensusSettings Default { get; } = new();

    /// <remarks>The range patterns also refuse NaN.</remarks>
    public bool IsValid => ClipBand is >= 0 and <= 1 && TrustLearningRate is >= 0 and <= 1 && DivergenceScale > 0 && double.IsFinite(DivergenceScale);
}

/// <summary>One offer's consensus score in the dimension.</summary>
/// <param name="Score">The weighted mean of the clipped scores, 0 to 1; null when no validator with weight scored it.</param>
/// <param name="Median">The weighted median of the scores; null when <paramref name="Score"/> is.</param>
/// <param name="Validators">How many validators scored it, those without weight included.</param>
/// <param name="TotalWeight">The sum of those validators' effective weights.</param>
public sealed record OfferConsensus(Guid OfferId, double? Score, double? Median, int Validators, double TotalWeight);

/// <summary>How one validator's scores compared with consensus, and the trust it carries into the next epoch.</summary>
/// <param name="OffersScored">How many offers it scored.</param>
/// <param name="Divergence">
/// The mean of |its score − the median| over the offers it scored that have a median; null when there is none (it
/// scored nothing that anyone with weight scored), and then its trust stays as it was: no evidence, no change.
/// </param>
/// <param name="Trust">Its trust this epoch (the input).</param>
/// <param name="NewTrust">Its trust for the next epoch, 0 to 1.</param>
public sealed record ValidatorOutcome(Guid ValidatorId, double EffectiveWeight, int OffersScored, double? Divergence, double Trust, double NewTrust);

/// <param name="Offers">Every offer anyone scored, ordered by id.</param>
/// <param name="Validators">Every validator, ordered by id.</param>
public sealed record ConsensusResult(IReadOnlyList<OfferConsensus> Offers, IReadOnlyList<ValidatorOutcome> Validators);

/// <summary>
/// Validators' scores of offers combined into one score per offer that a minority cannot steer, after Bittensor's
/// Yuma consensus: weight by stake × trust, anchor on the weighted median (which a minority of the weight cannot move
/// past the majority's scores), clip every score to a band around it (so a minority pulls the mean by at most the band
/// × its share), and let each validator's trust follow how far it strays from the median, so one that keeps scoring
/// against the others loses its say.
/// <para>
/// Steps, per offer: the effective-weighted median of the scores (<see cref="WeightedMedian"/>); each score clipped
/// into [median − band, median + band]; consensus = the effective-weighted mean of the clipped scores. Per validator:
/// divergence = the mean of |score − median| over the offers it scored; new trust = (1 − α) × trust + α × max(0, 1 −
/// divergence ÷ scale). A validator with no effective weight (no stake, or no trust left) moves no median and no mean,
/// but is still compared with them, so it can earn its trust back by agreeing.
/// </para>
/// <para>
/// Deterministic: validators and offers are taken in id order whatever the input order, so the same inputs give the
/// same doubles to the last bit.
/// </para>
/// </summary>
public static class ScoreConsensus
{
    /// <exception cref="ArgumentException">
    /// Settings that are not valid; a trust or a score that is NaN or outside 0 to 1; a validator listed twice.
    /// </exception>
    public static ConsensusResult Compute(IEnumerable<ValidatorScores> validators, ConsensusSettings? settings = null)
    {
        settings ??= ConsensusSettings.Default;
        if (!settings.IsValid)
        {
            throw new ArgumentException($"The consensus settings are not valid: {settings}.", nameof(settings));
        }
        var ordered = validators.OrderBy(v => v.ValidatorId.ToString("D"), StringComparer.Ordinal).ToArray();
        ThrowIfInvalid(ordered);

        var submissions = ordered
            .SelectMany((v, index) => v.Scores.Select(s => (Offer: s.Key, Validator: index, Score: s.Value)))
            .GroupBy(s => s.Offer)
            .OrderBy(g => g.Key.ToString("D"), StringComparer.Ordinal);
        var deviations = ordered.Select(_ => new List<double>()).ToArray();
        var offers = new List<OfferConsensus>();
        foreach (var offer in submissions)
        {
            var scores = offer.OrderBy(s => s.Validator).Select(s => (s.Validator, s.Score, Weight: ordered[s.Validator].EffectiveWeight)).ToArray();
            var totalWeight = scores.Sum(s => s.Weight);
            if (WeightedMedian(scores.Select(s => (s.Score, s.Weight))) is not { } median)
            {
                offers.Add(new OfferConsensus(offer.Key, null, null, scores.Length, totalWeight));
                continue;
            }
            var clippedSum = 0.0;
            foreach (var (validator, score, weight) in scores)
            {
                clippedSum += weight * Math.Clamp(score, median - settings.ClipBand, median + settings.ClipBand);
                deviations[validator].Add(Math.Abs(score - median));
            }
            // A mean of values in [0, 1] is in [0, 1]; the clamp only catches a last-bit rounding.
            offers.Add(new OfferConsensus(offer.Key, Math.Clamp(clippedSum / totalWeight, 0, 1), median, scores.Length, totalWeight));
        }

        var outcomes = ordered.Select((v, i) =>
        {
            double? divergence = deviations[i].Count > 0 ? deviations[i].Average() : null;
            var newTrust = divergence is { } d
                ? Math.Clamp((1 - settings.TrustLearningRate) * v.Trust + settings.TrustLearningRate * Math.Max(0, 1 - d / settings.DivergenceScale), 0, 1)
                : v.Trust;
            return new ValidatorOutcome(v.ValidatorId, v.EffectiveWeight, v.Scores.Count, divergence, v.Trust, newTrust);
        }).ToArray();
        return new ConsensusResult(offers, outcomes);
    }

    /// <summary>
    /// The weighted median of <paramref name="values"/>: the value at which half the weight lies on either side.
    /// Precisely, the midpoint of the lower median (the smallest value with at least half the weight at or below it)
    /// and the upper one (the smallest with more than half at or below it). They differ only when the weight splits
    /// exactly in two, as in an ordinary median of an even count; the midpoint keeps the median symmetric (scores
    /// mirrored as 1 − s give the mirrored median), where taking either side would favour high or low scores.
    /// Values without weight are ignored; null when no value has weight.
    /// </summary>
    /// <exception cref="ArgumentException">A value that is not finite, or a weight that is negative or not finite.</exception>
    public static double? WeightedMedian(IEnumerable<(double Value, double Weight)> values)
    {
        var weighted = new List<(double Value, double Weight)>();
        foreach (var (value, weight) in values)
        {
            if (!double.IsFinite(value) || !double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentException($"A weighted median needs finite values and finite weights of zero or more; got {value} with weight {weight}.", nameof(values));
            }
            if (weight > 0)
            {
                weighted.Add((value, weight));
            }
        }
        // Stable: equal values keep their order, so the running sums, and the result, do not depend on how the input was sorted.
        var sorted = weighted.OrderBy(v => v.Value).ToArray();
        var total = 0.0;
        foreach (var (_, weight) in sorted)
        {
            total += weight;
        }
        if (total == 0)
        {
            return null;
        }

        double? lower = null;
        var atOrBelow = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            atOrBelow += sorted[i].Weight;
            if (i + 1 < sorted.Length && sorted[i + 1].Value == sorted[i].Value)
            {
                continue;
            }
            lower ??= 2 * atOrBelow >= total ? sorted[i].Value : null;
            if (2 * atOrBelow > total)
            {
                return (lower!.Value + sorted[i].Value) / 2;
            }
        }
        // The last running sum is the total (summed in the same order, to the same bits), so more than half of it: the loop has returned.
        throw new InvalidOperationException("Unreachable: the weight at or below the largest value is the total.");
    }

    private static void ThrowIfInvalid(ValidatorScores[] validators)
    {
        foreach (var validator in validators)
        {
            if (validator.Trust is not (>= 0 and <= 1))
            {
                throw new ArgumentException($"Validator {validator.ValidatorId} has a trust of {validator.Trust}; trust is 0 to 1.", nameof(validators));
            }
            foreach (var (offer, score) in validator.Scores)
            {
                if (score is not (>= 0 and <= 1))
                {
                    throw new ArgumentException($"Validator {validator.ValidatorId} scored offer {offer} {score}; scores are 0 to 1.", nameof(validators));
                }
            }
        }
        if (validators.GroupBy(v => v.ValidatorId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Validator {twice.Key} is listed more than once.", nameof(validators));
        }
    }
}
