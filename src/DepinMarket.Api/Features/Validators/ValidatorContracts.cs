using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Validators;

/// <summary>A validator as the operator sees it.</summary>
/// <param name="Trust">0 to 1: how far its past scores agreed with consensus; its weight is stake × trust.</param>
/// <param name="Stake">The balance of its stake ledger account now: what its weight is computed from when an epoch closes.</param>
/// <param name="GrantedAt">The latest grant (a revoked validator granted again keeps its trust).</param>
/// <param name="RevokedAt">When the role was revoked; null while it is active.</param>
public sealed record ValidatorResponse(Guid AccountId, bool Active, double Trust, TokenAmount Stake, DateTimeOffset GrantedAt, DateTimeOffset? RevokedAt);

public sealed record ValidatorList(IReadOnlyList<ValidatorResponse> Items, string? NextCursor);

/// <summary>One validator's scores of model offers for one epoch.</summary>
/// <param name="Scores">1 to 500 scores, each offer once. Offers scored in an earlier submission of the epoch and absent here keep their score.</param>
/// <param name="Epoch">The epoch scored: only the current one is accepted. Absent: the current one.</param>
public sealed record ModelScoreSubmission(IReadOnlyList<ModelScoreEntry> Scores, [property: Accepts(typeof(ScoringEpochs))] long? Epoch = null);

/// <param name="OfferId">A published (active or paused) model offer of another provider.</param>
/// <param name="Quality">How good its answers were, 0 (worst) to 1 (best).</param>
/// <param name="Latency">How fast it answered, 0 (slowest) to 1 (fastest).</param>
public sealed record ModelScoreEntry(Guid OfferId, [property: Accepts(typeof(ScoreRange))] double Quality, [property: Accepts(typeof(ScoreRange))] double Latency);

/// <param name="Accepted">Scores stored by this submission.</param>
/// <param name="Replaced">Of those, how many replaced a score this validator gave the same offer earlier in the epoch.</param>
/// <param name="EpochEndsAt">Until when the epoch takes scores; it closes shortly after.</param>
public sealed record ModelScoreSubmissionResponse(long Epoch, int Accepted, int Replaced, DateTimeOffset SubmittedAt, DateTimeOffset EpochEndsAt);

/// <summary>An offer's consensus in one closed epoch.</summary>
/// <param name="Quality">The clipped, stake × trust weighted mean of the validators' quality scores, 0 to 1; null when no validator with weight scored it.</param>
/// <param name="QualityMedian">The weighted median the scores were clipped around.</param>
/// <param name="Validators">How many validators scored it.</param>
public sealed record OfferEpochScore(long Epoch, double? Quality, double? Latency, double? QualityMedian, double? LatencyMedian, int Validators);

/// <param name="Latest">The latest closed epoch that scored the offer; null when none has.</param>
/// <param name="History">Up to the last 24 closed epochs that scored it, newest first (the latest included).</param>
public sealed record OfferScoresResponse(Guid OfferId, OfferEpochScore? Latest, IReadOnlyList<OfferEpochScore> History);

/// <summary>An offer's place in a closed epoch.</summary>
/// <param name="Rank">1 for the highest consensus quality; offers without a consensus come last.</param>
public sealed record RankedOfferScore(int Rank, Guid OfferId, Guid ProviderId, string ModelId, double? Quality, double? Latency, double? QualityMedian,
    double? LatencyMedian, int Validators);

/// <summary>How one validator's scores of a closed epoch compared with consensus.</summary>
/// <param name="Stake">Its stake when the epoch closed.</param>
/// <param name="Weight">Stake in base units × trust before: its say in the medians and means.</param>
/// <param name="WeightShare">Its part of the epoch's total weight, 0 to 1.</param>
/// <param name="Divergence">Its mean distance from the medians (both dimensions averaged); null when nothing it scored had a median.</param>
/// <param name="TrustAfter">The trust it carries into the next epoch: the mean of the two dimensions' new trust.</param>
public sealed record ValidatorOutcomeResponse(Guid ValidatorId, TokenAmount Stake, double Weight, double WeightShare, int OffersScored, double? Divergence,
    double TrustBefore, double TrustAfter);

/// <summary>The consensus settings an epoch was closed with (docs/decisions/0021).</summary>
public sealed record ConsensusSettingsResponse(double ClipBand, double TrustLearningRate, double DivergenceScale);

/// <summary>One closed epoch: a page of offers ranked by consensus quality, and every validator that scored in it.</summary>
/// <param name="NextCursor">The next page of offers; null on the last. The validators come in full on every page (the operator grants each one, so they are few).</param>
public sealed record ModelScoreEpochResponse(long Epoch, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset ClosedAt, ConsensusSettingsResponse Settings,
    IReadOnlyList<RankedOfferScore> Offers, string? NextCursor, IReadOnlyList<ValidatorOutcomeResponse> Validators);
