using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using DepinMarket.Domain.Stakes;
using DepinMarket.Domain.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Stakes;

/// <summary>
/// Takes stake for a provable fault, in the caller's transaction: at most what the stake holds, split between the
/// harmed client (available) and burn by Stakes:ClientShareBps, as one journal pointing at the slash and its evidence.
/// A fault already slashed (the same evidence key) takes nothing again. When the stake left no longer covers the
/// provider's active offers, its newest offers are paused until it does: an under-staked offer is not listed.
/// </summary>
public sealed class Slasher(IOptions<StakeOptions> options, StakeCoverage coverage)
{
    /// <returns>The slash recorded, or null when this evidence was slashed before.</returns>
    public async Task<Slash?> SlashAsync(MarketDbContext db, Guid providerId, SlashReason reason, string evidenceKey, string evidence,
        Guid? rentalId, Guid? clientId, TokenAmount amount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Set<Slash>().AnyAsync(s => s.EvidenceKey == evidenceKey, cancellationToken))
        {
            return null;
        }
        var stake = await StakeCoverage.StakeBalanceAsync(db, providerId, lockIt: true, cancellationToken);
        // With no client to compensate (none harmed directly), everything taken is burnt.
        var split = SlashSplit.Capped(amount, stake, clientId is null ? 0 : options.Value.ClientShareBps);
        var slash = Slash.Record(providerId, reason, evidenceKey, evidence, rentalId, clientId, amount, split, now);
        if (!split.Taken.IsZero)
        {
            var provider = await MarketLedgerAccounts.EnsureAsync(db, providerId, cancellationToken);
            var lines = new List<PostingDraft>
            {
                new(provider[LedgerAccountKind.Stake], TokenDelta.Debit(split.Taken)),
                new(PlatformLedgerAccounts.Burn, TokenDelta.Credit(split.ToBurn)),
            };
            if (clientId is { } client && !split.ToClient.IsZero)
            {
                lines.Add(new(( await MarketLedgerAccounts.EnsureAsync(db, client, cancellationToken))[LedgerAccountKind.Available], TokenDelta.Credit(split.ToClient)));
            }
            var journal = JournalDraft.Create(JournalKind.Slash, slash.Reference, false, lines.Where(l => !l.Amount.IsZero));
            slash.Posted(await LedgerPoster.PostAsync(db, journal, now, cancellationToken));
        }
        db.Add(slash);
        await db.SaveChangesAsync(cancellationToken);
        await PauseUncoveredAsync(db, providerId, now, cancellationToken);
        return slash;
    }

    /// <summary>Pauses the provider's newest active offers until what stays active is covered by the stake.</summary>
    private async Task PauseUncoveredAsync(MarketDbContext db, Guid providerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var position = await coverage.PositionAsync(db, providerId, lockStake: false, changing: null, cancellationToken);
        if (position.Staked >= position.Required)
        {
            return;
        }
        var active = new List<Offer>();
        active.AddRange(await db.ComputeOffers.Where(o => o.ProviderId == providerId && o.Status == OfferStatus.Active).ToListAsync(cancellationToken));
        active.AddRange(await db.StorageOffers.Where(o => o.ProviderId == providerId && o.Status == OfferStatus.Active).ToListAsync(cancellationToken));
        active.AddRange(await db.ModelOffers.Where(o => o.ProviderId == providerId && o.Status == OfferStatus.Active).ToListAsync(cancellationToken));
        var required = position.Required;
        foreach (var offer in active.OrderByDescending(o => o.CreatedAt))
        {
            if (position.Staked >= required)
            {
                break;
            }
            offer.Pause(now);
            required -= coverage.RequirementOf(offer);
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
