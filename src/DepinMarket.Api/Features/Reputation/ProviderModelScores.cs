using DepinMarket.Api.Data;

namespace DepinMarket.Api.Features.Reputation;

/// <summary>Each provider's model score (0 to 1) from the validators' consensus, for its reputation.</summary>
public interface IProviderModelScores
{
    Task<IReadOnlyDictionary<Guid, double>> LatestAsync(MarketDbContext db, IReadOnlyCollection<Guid> providers, CancellationToken cancellationToken);
}

/// <summary>No validator scores: every model provider counts as not yet scored.</summary>
internal sealed class NoModelScores : IProviderModelScores
{
    public Task<IReadOnlyDictionary<Guid, double>> LatestAsync(MarketDbContext db, IReadOnlyCollection<Guid> providers, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, double>>(new Dictionary<Guid, double>());
}
