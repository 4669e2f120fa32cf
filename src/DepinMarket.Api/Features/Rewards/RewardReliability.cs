using DepinMarket.Domain.Rewards;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>
/// The seam for reliability weighting: each provider's weight in an epoch, 0 to <see cref="Reliability.Full"/>, a
/// multiplier of its contribution in the epoch [from, until). The weight is stored with the epoch's inputs, so a recomputation needs nothing
/// else. The trust issue registers its own implementation; until then everyone counts in full.
/// </summary>
public interface IRewardReliability
{
    Task<IReadOnlyDictionary<Guid, int>> WeightsAsync(IReadOnlyCollection<Guid> providers, DateTimeOffset from, DateTimeOffset until,
        CancellationToken cancellationToken);
}

/// <summary>Every provider counts in full: the placeholder until reliability is measured.</summary>
internal sealed class FullReliability : IRewardReliability
{
    public Task<IReadOnlyDictionary<Guid, int>> WeightsAsync(IReadOnlyCollection<Guid> providers, DateTimeOffset from, DateTimeOffset until,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, int>>(providers.ToDictionary(p => p, _ => Reliability.Full));
}
