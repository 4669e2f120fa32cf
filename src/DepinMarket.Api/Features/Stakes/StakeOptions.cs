using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Stakes;

/// <summary>Stakes, slashing and downtime credits (section "Stakes"). Amounts are decimal strings of whole tokens.</summary>
public sealed class StakeOptions
{
    /// <summary>Stake an active compute offer needs per GPU (io.net asks 200 per GPU).</summary>
    public string PerGpu { get; set; } = "200";

    /// <summary>Stake an active storage offer needs per started TB (1,000 GB) of capacity.</summary>
    public string PerStorageTb { get; set; } = "5";

    /// <summary>Stake an active model offer needs.</summary>
    public string PerModelOffer { get; set; } = "100";

    /// <summary>How long unstaked tokens stay staked (backing offers, slashable) before they come back.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Share of every slash that goes to the harmed client, in basis points; the rest is burnt.</summary>
    public int ClientShareBps { get; set; } = 8000;

    /// <summary>Downtime of a rental's node not credited: short blips are the price of a distributed network.</summary>
    public TimeSpan DowntimeGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After this long down, the node's rentals end as terminated (provider fault) with the unused escrow refunded.</summary>
    public TimeSpan TerminateAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// A downtime slash is the credit times this (basis points). 12500 with a client share of 8000 credits the renter
    /// exactly its price for the downtime beyond grace and burns a quarter as much again.
    /// </summary>
    public int DowntimePenaltyBps { get; set; } = 12_500;

    /// <summary>A usage report shown false costs the provider this share of what it charged, in basis points (twice it by default).</summary>
    public int FalseUsagePenaltyBps { get; set; } = 20_000;

    /// <summary>What one failed or missed storage challenge costs the provider.</summary>
    public string StorageProofSlash { get; set; } = "5";

    /// <summary>How often stake whose cooldown ended is released; zero: never (tests run it by hand).</summary>
    public TimeSpan ReleaseInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal TokenAmount PerGpuAmount => TokenAmount.Parse(PerGpu);
    internal TokenAmount PerStorageTbAmount => TokenAmount.Parse(PerStorageTb);
    internal TokenAmount PerModelOfferAmount => TokenAmount.Parse(PerModelOffer);
    internal TokenAmount StorageProofSlashAmount => TokenAmount.Parse(StorageProofSlash);

    internal bool AmountsAreValid =>
        new[] { PerGpu, PerStorageTb, PerModelOffer, StorageProofSlash }.All(a => TokenAmount.TryParse(a, out _, out _));
}
