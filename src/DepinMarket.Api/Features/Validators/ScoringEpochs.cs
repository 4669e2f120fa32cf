using System.Globalization;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// Which epoch a submission may score: the one in progress, and only that one. A past epoch is closed or about to
/// be (scores arriving after it ended would change a result others may already have read); a future one would let a
/// validator fix its scores before measuring anything. The rule and the words that state it live here together, so
/// the 409 for another epoch and the 400 for a value JSON cannot read as a whole number say the same thing.
/// </summary>
internal sealed class ScoringEpochs(TimeProvider clock, IOptions<ValidatorOptions> options) : IAcceptedValues
{
    public string Accepted
    {
        get
        {
            var o = options.Value;
            return o.CurrentEpoch(clock.Now()) is { } current
                ? $"the current epoch's number, {current} (until {Text(o.Grid.EndOf(current))}), or absent for the current epoch"
                : $"absent: scoring starts at {Text(o.Grid.Genesis)}";
        }
    }

    /// <summary>The epoch a submission at <paramref name="now"/> that names <paramref name="requested"/> scores.</summary>
    /// <exception cref="DomainException">Before genesis (409); another epoch than the current one (409, with "currentEpoch"); a negative one (400).</exception>
    public long RequireCurrent(long? requested, DateTimeOffset now)
    {
        var grid = options.Value.Grid;
        if (options.Value.CurrentEpoch(now) is not { } current)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Scoring has not started.",
                $"Epoch 0 starts at {Text(grid.Genesis)} (Validators:Genesis); scores are accepted from then.");
        }
        if (requested is null || requested == current)
        {
            return current;
        }
        if (requested < 0)
        {
            throw ValidationFailedException.For("epoch", $"must be {Accepted}; got {requested}.");
        }
        var why = requested < current
            ? $"Epoch {requested} ended at {Text(grid.EndOf(requested.Value))}: a finished epoch takes no more scores."
            : $"Epoch {requested} has not started: scores are for what a validator measured, so they are taken in the epoch they measure.";
        throw new EpochNotOpenException($"{why} Only the current epoch, {current}, takes scores, until {Text(grid.EndOf(current))}; leave \"epoch\" out to score it.",
            current, grid.EndOf(current));
    }

    private static string Text(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A submission for an epoch that is not the current one (409, with "currentEpoch" and "currentEpochEndsAt").</summary>
public sealed class EpochNotOpenException(string detail, long currentEpoch, DateTimeOffset currentEpochEndsAt)
    : DomainException(DomainErrorKind.Conflict, "Epoch not open for scores.", detail)
{
    public override IReadOnlyDictionary<string, object> Facts { get; } = new Dictionary<string, object>
    {
        ["currentEpoch"] = currentEpoch,
        ["currentEpochEndsAt"] = currentEpochEndsAt,
    };
}

/// <summary>What a score may be: a finite number from 0 (worst) to 1 (best).</summary>
internal sealed class ScoreRange : IAcceptedValues
{
    private const string Words = "a number from 0 (worst) to 1 (best)";

    public string Accepted => Words;

    /// <summary>Records an error under <paramref name="field"/> when <paramref name="value"/> is outside 0 to 1 (NaN included).</summary>
    public static void Check(Validation errors, double value, string field)
    {
        if (value is not (>= 0 and <= 1))
        {
            errors.Add(field, $"must be {Words}; got {value.ToString("R", CultureInfo.InvariantCulture)}.");
        }
    }
}
