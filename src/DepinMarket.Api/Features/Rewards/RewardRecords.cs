using System.Numerics;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rewards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Rewards;

// The reward tables (migration 0014) in the EF model, so the schema test holds them to the migration. Both are written
// once, by the epoch closer, in the transaction that posts the epoch's journal, and never changed.

/// <summary>A row of <c>reward_epochs</c>: one closed epoch, with the schedule and split it was computed with and its result.</summary>
public sealed class RewardEpochRecord
{
    public long Epoch { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public TokenAmount InitialPerEpoch { get; init; }
    public int MonthlyDecayBps { get; init; }
    public long EpochsPerMonth { get; init; }
    public TokenAmount Cap { get; init; }
    public int ProvidersBps { get; init; }
    public int ComputeWeight { get; init; }
    public int StorageWeight { get; init; }
    public int ModelWeight { get; init; }
    public TokenAmount Emission { get; init; }
    public TokenAmount ProvidersShare { get; init; }
    public TokenAmount TreasuryShare { get; init; }
    public TokenAmount Unallocated { get; init; }
    public TokenAmount EmittedTotal { get; init; }
    public long? JournalId { get; set; }
    public DateTimeOffset ClosedAt { get; init; }

    public EmissionSchedule Schedule => new(InitialPerEpoch, MonthlyDecayBps, EpochsPerMonth, Cap);

    public RewardSplitRules Rules => new(ProvidersBps, ComputeWeight, StorageWeight, ModelWeight);
}

/// <summary>A row of <c>reward_epoch_providers</c>: what one provider billed in an epoch, and its share.</summary>
public sealed class RewardEpochProviderRecord
{
    public long Epoch { get; init; }
    public Guid ProviderId { get; init; }
    public BigInteger GpuSeconds { get; init; }
    public BigInteger GbHours { get; init; }
    public BigInteger ModelTokens { get; init; }
    public int ReliabilityBps { get; init; }
    public TokenAmount Share { get; init; }

    public ProviderContribution Contribution => new(ProviderId, GpuSeconds, GbHours, ModelTokens, ReliabilityBps);
}

internal sealed class RewardEpochConfiguration : IEntityTypeConfiguration<RewardEpochRecord>
{
    public void Configure(EntityTypeBuilder<RewardEpochRecord> builder)
    {
        builder.ToTable("reward_epochs", t =>
        {
            t.HasCheckConstraint("reward_epochs_epoch_check", "epoch >= 0 and ends_at > starts_at");
            t.HasCheckConstraint("reward_epochs_sum_check", "emission = providers_share + treasury_share + unallocated");
            t.HasCheckConstraint("reward_epochs_cap_check", "emitted_total <= cap");
            t.HasCheckConstraint("reward_epochs_journal_check", "(journal_id is null) = (providers_share + treasury_share = 0)");
        });
        builder.HasKey(e => e.Epoch);
        builder.Property(e => e.Epoch).ValueGeneratedNever();
        builder.Ignore(e => e.Schedule);
        builder.Ignore(e => e.Rules);
        builder.HasIndex(e => e.JournalId, "ix_reward_epochs_journal");
        builder.HasOne<Journal>().WithMany().HasForeignKey(e => e.JournalId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class RewardEpochProviderConfiguration : IEntityTypeConfiguration<RewardEpochProviderRecord>
{
    public void Configure(EntityTypeBuilder<RewardEpochProviderRecord> builder)
    {
        builder.ToTable("reward_epoch_providers", t =>
        {
            t.HasCheckConstraint("reward_epoch_providers_inputs_check",
                "gpu_seconds >= 0 and gb_hours >= 0 and model_tokens >= 0 and reliability_bps between 0 and 10000");
            t.HasCheckConstraint("reward_epoch_providers_share_check", "share >= 0");
        });
        builder.HasKey(p => new { p.Epoch, p.ProviderId });
        builder.Property(p => p.GpuSeconds).HasColumnType("numeric(78,0)");
        builder.Property(p => p.GbHours).HasColumnType("numeric(78,0)");
        builder.Property(p => p.ModelTokens).HasColumnType("numeric(78,0)");
        builder.Ignore(p => p.Contribution);
        builder.HasIndex(p => p.ProviderId, "ix_reward_epoch_providers_provider");
        builder.HasOne<RewardEpochRecord>().WithMany().HasForeignKey(p => p.Epoch).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.ProviderId).OnDelete(DeleteBehavior.NoAction);
    }
}
