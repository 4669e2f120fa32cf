using System.Globalization;

namespace DepinMarket.Domain.Trust;

/// <summary>
/// What a provider's reputation is computed from. Every field defaults to "no history", so
/// <c>new ReputationInputs()</c> is a new compute provider.
/// </summary>
/// <param name="Uptime30Days">The uptime of its nodes over the last 30 days, 0 to 1 (<see cref="Uptime.Over"/>); null when unknown.</param>
/// <param name="RentalsCompleted">Rentals that ran to their end or were ended by the client.</param>
/// <param name="RentalsEndedByProviderFault">Rentals ended because the provider failed them (its node went away, it cancelled).</param>
/// <param name="HasStorageOffers">Whether it offers storage now, so storage proofs apply to it even before the first one.</param>
/// <param name="ProofsPassed">Storage challenges answered with a valid proof.</param>
/// <param name="ProofsFailed">Storage challenges answered with an invalid proof.</param>
/// <param name="ProofsMissed">Storage challenges not answered by their deadline.</param>
/// <param name="HasModelOffers">Whether it serves models now, so the model score applies to it even before validators scored it.</param>
/// <param name="ModelScore">The validators' consensus score of its models, 0 to 1 (<see cref="ScoreConsensus"/>); null when not scored yet.</param>
/// <param name="SlashesLast30Days">How many times its stake was slashed in the last 30 days.</param>
public sealed record ReputationInputs(
    double? Uptime30Days = null,
    int RentalsCompleted = 0,
    int RentalsEndedByProviderFault = 0,
    bool HasStorageOffers = false,
    int ProofsPassed = 0,
    int ProofsFailed = 0,
    int ProofsMissed = 0,
    bool HasModelOffers = false,
    double? ModelScore = null,
    int SlashesLast30Days = 0)
{
    /// <summary>
    /// Storage proofs count for a provider that offers storage or has any proof on record: withdrawing its storage
    /// offers must not hide the proofs it failed.
    /// </summary>
    public bool StorageApplies => HasStorageOffers || (long)ProofsPassed + ProofsFailed + ProofsMissed > 0;

    /// <summary>The model score counts for a provider that serves models or has a score: withdrawing offers does not hide a poor one.</summary>
    public bool ModelApplies => HasModelOffers || ModelScore is not null;
}

/// <summary>One part of a reputation, shown as it was counted.</summary>
/// <param name="Name">A stable camelCase key: uptime, rentals, storageProofs, modelScore, slashes.</param>
/// <param name="Value">How well the provider did in it, 0 (worst) to 1 (best), after smoothing; null when it does not apply.</param>
/// <param name="Weight">The points it is worth out of 100, after the weights of what does not apply were shared out (0 when it does not apply).</param>
/// <param name="Points"><paramref name="Value"/> × <paramref name="Weight"/>: what it adds to the score.</param>
/// <param name="Explanation">The inputs and the rule, in a sentence a provider can check.</param>
public sealed record ReputationComponent(string Name, double? Value, double Weight, double Points, string Explanation);

/// <param name="Score">0 to 100 with one decimal: the sum of the components' points, rounded half away from zero.</param>
/// <param name="Components">Every component, applicable or not, in a fixed order.</param>
public sealed record Reputation(decimal Score, IReadOnlyList<ReputationComponent> Components);

/// <summary>
/// A provider's reputation, 0 to 100, as a sum of visible components, each worth a weight of points:
/// uptime 40, rentals 20, storage proofs 15, model score 15, no slashes 10.
/// <para>
/// Counts are smoothed by Laplace's rule of succession, (good + 1) ÷ (good + bad + 2): a provider with no history
/// stands at 1/2 rather than at 0 (which would shut newcomers out) or 1 (which would make a fresh account the best
/// one to hold), and each rental or proof moves it less as history grows. An unknown uptime or model score also
/// counts as 1/2. So a new provider offering every kind scores 55 (all of the no-slash points, half of the rest),
/// a new compute provider 57.1.
/// </para>
/// <para>
/// Uptime earns nothing at or below <see cref="UptimeFloor"/> (90%: three days down in thirty) and its points rise
/// linearly to all of them at 100%: a linear scale from 0% would give a node down one day in ten 90% of its points,
/// where users of infrastructure see 99% and 90% as worlds apart. Each slash in the last 30 days takes
/// <see cref="SlashPenalty"/> of the no-slash points; two take them all, and the score never goes below zero for it.
/// </para>
/// <para>
/// A component that does not apply (storage proofs for a provider without storage, the model score for one without
/// models) is left out and its weight shared among the others in proportion, rather than counted as neutral: as
/// neutral it would cap a flawless compute provider at 85, and scores of providers of different kinds would not be
/// comparable. The score is monotone: for the same applicable components, more failures, faults or slashes never
/// raise it, and more uptime, completed rentals, passed proofs or a higher model score never lower it.
/// </para>
/// </summary>
public static class ReputationScore
{
    public const double UptimeWeight = 40;
    public const double RentalsWeight = 20;
    public const double StorageProofsWeight = 15;
    public const double ModelScoreWeight = 15;
    public const double NoSlashesWeight = 10;

    /// <summary>The uptime at or below which the uptime component earns nothing.</summary>
    public const double UptimeFloor = 0.9;

    /// <summary>The share of the no-slash component each slash in the last 30 days takes.</summary>
    public const double SlashPenalty = 0.5;

    /// <summary>The standing of a component without history: the middle.</summary>
    public const double Unknown = 0.5;

    /// <exception cref="ArgumentException">A negative count, or an uptime or model score that is NaN or outside 0 to 1.</exception>
    public static Reputation For(ReputationInputs inputs)
    {
        ThrowIfInvalid(inputs);
        var parts = new (string Name, double NominalWeight, double? Value, string Explanation)[]
        {
            ("uptime", UptimeWeight, UptimeStanding(inputs.Uptime30Days), UptimeExplanation(inputs.Uptime30Days)),
            ("rentals", RentalsWeight, Smoothed(inputs.RentalsCompleted, inputs.RentalsEndedByProviderFault),
                $"Rentals: {inputs.RentalsCompleted} completed, {inputs.RentalsEndedByProviderFault} ended by the provider's fault; "
                + SmoothingExplanation(inputs.RentalsCompleted, inputs.RentalsEndedByProviderFault)),
            ("storageProofs", StorageProofsWeight,
                inputs.StorageApplies ? Smoothed(inputs.ProofsPassed, (long)inputs.ProofsFailed + inputs.ProofsMissed) : null,
                inputs.StorageApplies
                    ? $"Storage proofs: {inputs.ProofsPassed} passed, {inputs.ProofsFailed} failed, {inputs.ProofsMissed} missed; "
                      + SmoothingExplanation(inputs.ProofsPassed, (long)inputs.ProofsFailed + inputs.ProofsMissed)
                    : NotApplicable("no storage offers and no storage proofs")),
            ("modelScore", ModelScoreWeight, inputs.ModelApplies ? inputs.ModelScore ?? Unknown : null,
                !inputs.ModelApplies ? NotApplicable("no model offers and no model score")
                    : inputs.ModelScore is { } model ? $"The validators' consensus score of its models is {Number(model)}."
                    : "Its models have no validator score yet: counted as the middle, 0.5, until they do."),
            ("slashes", NoSlashesWeight, Math.Max(0, 1 - SlashPenalty * inputs.SlashesLast30Days),
                $"Slashes in the last 30 days: {inputs.SlashesLast30Days}; each takes {Number(SlashPenalty * 100)}% of these points."),
        };

        var applicableWeight = parts.Where(p => p.Value is not null).Sum(p => p.NominalWeight);
        var components = parts.Select(p =>
        {
            var weight = p.Value is null ? 0 : p.NominalWeight * 100 / applicableWeight;
            return new ReputationComponent(p.Name, p.Value, weight, (p.Value ?? 0) * weight, p.Explanation);
        }).ToArray();
        var score = Math.Round((decimal)components.Sum(c => c.Points), 1, MidpointRounding.AwayFromZero);
        return new Reputation(Math.Clamp(score, 0, 100), components);
    }

    private static double UptimeStanding(double? uptime) =>
        uptime is { } u ? Math.Clamp((u - UptimeFloor) / (1 - UptimeFloor), 0, 1) : Unknown;

    private static string UptimeExplanation(double? uptime) => uptime is { } u
        ? $"{Number(u * 100)}% up over the last 30 days; {Number(UptimeFloor * 100)}% or less earns none of these points, 100% all of them."
        : "No uptime measured in the last 30 days: counted as the middle, 0.5, until there is.";

    /// <summary>Laplace's rule of succession: (good + 1) ÷ (good + bad + 2).</summary>
    private static double Smoothed(long good, long bad) => (good + 1.0) / (good + bad + 2.0);

    private static string SmoothingExplanation(long good, long bad) =>
        $"({good} + 1) ÷ ({good + bad} + 2) = {Number(Smoothed(good, bad))}, so a provider without history starts in the middle.";

    private static string NotApplicable(string why) => $"Not applicable ({why}): its weight is shared among the other components.";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static void ThrowIfInvalid(ReputationInputs inputs)
    {
        if (inputs.Uptime30Days is { } uptime && uptime is not (>= 0 and <= 1))
        {
            throw new ArgumentException($"Uptime is a fraction from 0 to 1; got {uptime}.", nameof(inputs));
        }
        if (inputs.ModelScore is { } model && model is not (>= 0 and <= 1))
        {
            throw new ArgumentException($"A model score is 0 to 1; got {model}.", nameof(inputs));
        }
        var counts = new[]
        {
            inputs.RentalsCompleted, inputs.RentalsEndedByProviderFault, inputs.ProofsPassed, inputs.ProofsFailed, inputs.ProofsMissed,
            inputs.SlashesLast30Days,
        };
        if (counts.Any(c => c < 0))
        {
            throw new ArgumentException($"Counts cannot be negative; got {inputs}.", nameof(inputs));
        }
    }
}
