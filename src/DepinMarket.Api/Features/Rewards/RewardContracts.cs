using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>Relative weights of the three kinds of contribution in the providers' share.</summary>
public sealed record RewardWeights(int Compute, int Storage, int Model);

/// <summary>The schedule as configured now, and where emission stands.</summary>
/// <param name="Genesis">When epoch 0 started; null: rewards are not configured and nothing is emitted.</param>
/// <param name="EpochsPerMonth">Epochs between two decays of the rate.</param>
/// <param name="CurrentEpoch">The epoch in progress, once genesis has passed.</param>
/// <param name="CurrentEmission">What the schedule gives the epoch in progress (its rate, unless the cap cuts it).</param>
/// <param name="EmittedSoFar">Everything emitted by the epochs closed so far.</param>
/// <param name="RemainingUnderCap">What the cap still allows.</param>
/// <param name="NextEpoch">The next epoch to close (they close in order), and from when (its end plus the close delay).</param>
/// <param name="PoolBalance">The rewards pool: tokens funded for emission and not emitted yet. An epoch that emits more waits until it is funded.</param>
/// <param name="TreasuryBalance">The treasury's shares so far.</param>
/// <param name="ProvidersBps">The providers' share of each epoch's emission; the treasury gets the rest.</param>
public sealed record RewardScheduleResponse(DateTimeOffset? Genesis, long EpochLengthSeconds, long EpochsPerMonth, TokenAmount InitialPerEpoch,
    int MonthlyDecayBps, TokenAmount Cap, long? CurrentEpoch, TokenAmount? CurrentEmission, TokenAmount EmittedSoFar, TokenAmount RemainingUnderCap,
    long? NextEpoch, DateTimeOffset? NextEpochClosesFrom, TokenAmount PoolBalance, TokenAmount TreasuryBalance, int ProvidersBps, RewardWeights Weights);

/// <summary>A closed epoch in a list.</summary>
/// <param name="Emission">What the schedule made available for the epoch.</param>
/// <param name="Unallocated">What was not emitted (all of it when nobody billed anything in the epoch).</param>
/// <param name="EmittedTotal">Everything emitted up to and including this epoch.</param>
/// <param name="JournalId">The ledger journal that moved the tokens (none when nothing was emitted).</param>
/// <param name="Providers">Providers that billed anything in the epoch.</param>
public sealed record RewardEpochSummary(long Epoch, DateTimeOffset StartsAt, DateTimeOffset EndsAt, TokenAmount Emission, TokenAmount ProvidersShare,
    TokenAmount TreasuryShare, TokenAmount Unallocated, TokenAmount EmittedTotal, int Providers, long? JournalId, DateTimeOffset ClosedAt);

public sealed record RewardEpochPage(RewardScheduleResponse Schedule, IReadOnlyList<RewardEpochSummary> Items, string? NextCursor);

/// <summary>The schedule an epoch was computed with, as it was when the epoch closed.</summary>
/// <param name="Rate">The epoch's rate before the cap.</param>
/// <param name="EmittedBefore">What every earlier epoch emitted together.</param>
public sealed record RewardEpochSchedule(TokenAmount InitialPerEpoch, int MonthlyDecayBps, long EpochsPerMonth, TokenAmount Cap, TokenAmount Rate,
    TokenAmount EmittedBefore);

/// <summary>One provider's inputs and share of an epoch.</summary>
/// <param name="GpuSeconds">Billed GPU-seconds, a decimal string (a sum can exceed a JSON number's precision).</param>
/// <param name="GbHours">Billed GB-hours, a decimal string.</param>
/// <param name="ModelTokens">Model tokens served (input plus output), a decimal string.</param>
/// <param name="ReliabilityBps">The reliability weight applied (10000 = in full; everyone, until reliability is measured).</param>
/// <param name="Share">Its part of the providers' share, credited to its earnings.</param>
public sealed record RewardProviderShare(Guid ProviderId, string GpuSeconds, string GbHours, string ModelTokens, int ReliabilityBps, TokenAmount Share);

/// <summary>
/// One closed epoch with everything needed to recompute it: the schedule and split it used, each provider's inputs,
/// and the result.
/// </summary>
public sealed record RewardEpochResponse(long Epoch, DateTimeOffset StartsAt, DateTimeOffset EndsAt, RewardEpochSchedule Schedule, int ProvidersBps,
    RewardWeights Weights, TokenAmount Emission, TokenAmount ProvidersShare, TokenAmount TreasuryShare, TokenAmount Unallocated, TokenAmount EmittedTotal,
    long? JournalId, DateTimeOffset ClosedAt, IReadOnlyList<RewardProviderShare> Providers);

/// <param name="Amount">Whole tokens from this account's available balance into the rewards pool, a decimal string, more than zero. Not refundable.</param>
public sealed record RewardFundingRequest(TokenAmount Amount);

/// <param name="JournalId">The ledger journal that moved them (reference "reward-funding:id").</param>
/// <param name="PoolBalance">The pool's balance right after.</param>
public sealed record RewardFundingResponse(Guid Id, TokenAmount Amount, long JournalId, TokenAmount PoolBalance);
