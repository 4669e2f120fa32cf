using DepinMarket.Api.Data;

namespace DepinMarket.Api.Features.Reputation;

/// <summary>Each provider's model score (0 to 1) from the validators' consensus, for its reputation.</summary>
public interface IProviderModelScores
{
    Task<IReadOnlyDictionary<Guid, double>> LatestAsync(MarketDbContext db, IReadOnlyCollection<Guid> providers, CancellationToken cancellationToken);
}

/// <summary>The validators' consensus quality of each provider's model offers (docs/decisions/0021).</summary>
internal sealed class ValidatorModelScores : IProviderModelScores
{
    public Task<IReadOnlyDictionary<Guid, double>> LatestAsync(MarketDbContext db, IReadOnlyCollection<Guid> providers, CancellationToken cancellationToken) =>
        Validators.ModelScores.LatestByProviderAsync(db, providers, cancellationToken);
}
