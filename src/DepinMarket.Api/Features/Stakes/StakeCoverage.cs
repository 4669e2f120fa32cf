using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Offers;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Stakes;

/// <summary>What a provider's stake must cover, and whether it does.</summary>
/// <param name="Staked">The whole stake, cooling unstakes included (they still back offers).</param>
/// <param name="Cooling">Unstaked, waiting for the cooldown: leaves the stake when released.</param>
/// <param name="Required">What the active offers need.</param>
public sealed record StakePosition(TokenAmount Staked, TokenAmount Cooling, TokenAmount Required)
{
    /// <summary>What stays staked once every cooling unstake is released.</summary>
    public TokenAmount Bonded => Staked - Cooling;

    /// <summary>What can still be unstaked without leaving active offers uncovered once the cooldown ends.</summary>
    public TokenAmount Unstakable => Bonded > Required ? Bonded - Required : TokenAmount.Zero;
}

/// <summary>
/// An offer is active only while its provider's stake covers the minimum of all its active offers (Stakes:PerGpu per GPU
/// of compute, Stakes:PerStorageTb per started TB of storage, Stakes:PerModelOffer per model offer). The provider's
/// stake ledger account is locked while this is checked, so two offers published at once cannot both use one stake.
/// </summary>
public sealed class StakeCoverage(IOptions<StakeOptions> options) : IOfferActivationGuard
{
    public async Task EnsureAllowedAsync(MarketDbContext db, Offer offer, CancellationToken cancellationToken)
    {
        if (offer.Status != OfferStatus.Active)
        {
            return;
        }
        var position = await PositionAsync(db, offer.ProviderId, lockStake: true, changing: offer, cancellationToken);
        if (position.Staked < position.Required)
        {
            throw new InsufficientStakeException(position.Required - position.Staked,
                $"Active offers of this provider need {position.Required} tokens staked (with this one); {position.Staked} are. " +
                $"Stake {position.Required - position.Staked} more with POST /v1/stakes.");
        }
    }

    /// <summary>The stake, what is cooling and what the active offers need (<paramref name="changing"/> counted as it is now, not as stored).</summary>
    public async Task<StakePosition> PositionAsync(MarketDbContext db, Guid providerId, bool lockStake, Offer? changing, CancellationToken cancellationToken)
    {
        var staked = await StakeBalanceAsync(db, providerId, lockStake, cancellationToken);
        var cooling = (await db.Set<Domain.Stakes.StakeUnbonding>().AsNoTracking()
                .Where(u => u.ProviderId == providerId && u.ReleasedAt == null).Select(u => u.Amount).ToListAsync(cancellationToken))
            .Aggregate(TokenAmount.Zero, (sum, a) => sum + a);
        var other = changing?.Id ?? Guid.Empty;
        var gpus = await db.ComputeOffers.Where(o => o.ProviderId == providerId && o.Status == OfferStatus.Active && o.Id != other).SumAsync(o => (long)o.GpuCount, cancellationToken);
        var storageGb = await db.StorageOffers.Where(o => o.ProviderId == providerId && o.Status == OfferStatus.Active && o.Id != other)
            .Select(o => o.CapacityGb).ToListAsync(cancellationToken);
        var models = await db.ModelOffers.CountAsync(o => o.ProviderId == providerId && o.Status == OfferStatus.Active && o.Id != other, cancellationToken);
        var required = options.Value.PerGpuAmount * gpus + StorageRequirement(storageGb) + options.Value.PerModelOfferAmount * models;
        if (changing is { Status: OfferStatus.Active })
        {
            required += RequirementOf(changing);
        }
        return new StakePosition(staked, cooling, required);
    }

    /// <summary>What one active offer needs staked.</summary>
    public TokenAmount RequirementOf(Offer offer) => offer switch
    {
        ComputeOffer c => options.Value.PerGpuAmount * c.GpuCount,
        StorageOffer s => StorageRequirement([s.CapacityGb]),
        _ => options.Value.PerModelOfferAmount,
    };

    private TokenAmount StorageRequirement(IEnumerable<long> capacitiesGb) =>
        options.Value.PerStorageTbAmount * capacitiesGb.Sum(gb => (gb + 999) / 1000);

    /// <summary>The provider's stake balance; with <paramref name="lockIt"/>, its ledger row is locked for the transaction.</summary>
    public static async Task<TokenAmount> StakeBalanceAsync(MarketDbContext db, Guid providerId, bool lockIt, CancellationToken cancellationToken)
    {
        var query = lockIt
            ? db.LedgerAccounts.FromSql($"select * from ledger_accounts where account_id = {providerId} and kind = 'stake' for no key update")
            : db.LedgerAccounts.Where(a => a.AccountId == providerId && a.Kind == LedgerAccountKind.Stake);
        var balance = await query.AsNoTracking().Select(a => a.Balance).SingleOrDefaultAsync(cancellationToken);
        return new TokenAmount(balance.BaseUnits);
    }
}

/// <summary>The stake does not cover the active offers (402, with how much is missing).</summary>
public sealed class InsufficientStakeException(TokenAmount missing, string detail)
    : DomainException(DomainErrorKind.PaymentRequired, "Not enough stake.", detail)
{
    public override IReadOnlyDictionary<string, object> Facts { get; } = new Dictionary<string, object> { ["balance"] = "stake", ["missing"] = missing.ToString() };
}
