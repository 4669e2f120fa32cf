using DepinMarket.Api.Data.Configurations;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Stakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Stakes;

// The stake tables (migration 0017) in the EF model, so the schema test holds them to the migration.

internal sealed class StakeUnbondingConfiguration : IEntityTypeConfiguration<StakeUnbonding>
{
    public void Configure(EntityTypeBuilder<StakeUnbonding> builder)
    {
        builder.ToTable("stake_unbondings", t =>
        {
            t.HasCheckConstraint("stake_unbondings_amount_check", "amount > 0 and (released_amount is null or released_amount <= amount)");
            t.HasCheckConstraint("stake_unbondings_released_check", "(released_at is null) = (released_amount is null)");
        });
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.HasOne<Account>().WithMany().HasForeignKey(u => u.ProviderId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(u => u.JournalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(u => new { u.ProviderId, u.RequestedAt }, "ix_stake_unbondings_provider");
        builder.HasIndex(u => u.ReleasesAt, "ix_stake_unbondings_due").HasFilter("released_at is null");
        builder.HasIndex(u => u.JournalId, "ix_stake_unbondings_journal");
    }
}

internal sealed class SlashConfiguration : IEntityTypeConfiguration<Slash>
{
    public void Configure(EntityTypeBuilder<Slash> builder)
    {
        builder.ToTable("slashes", t =>
        {
            t.HasCheckConstraint("slashes_reason_check", EnumText<SlashReason>.CheckIn("reason"));
            t.HasCheckConstraint("slashes_split_check", "to_client + to_burn + shortfall = amount");
            t.HasCheckConstraint("slashes_journal_check", "(journal_id is null) = (to_client + to_burn = 0)");
        });
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Reason).HasConversion(new EnumText<SlashReason>());
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.ProviderId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.ClientId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Rental>().WithMany().HasForeignKey(s => s.RentalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(s => s.JournalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(s => s.EvidenceKey, "ux_slashes_evidence_key").IsUnique();
        builder.HasIndex(s => new { s.ProviderId, s.CreatedAt }, "ix_slashes_provider");
        builder.HasIndex(s => new { s.ClientId, s.CreatedAt }, "ix_slashes_client");
        builder.HasIndex(s => s.RentalId, "ix_slashes_rental");
        builder.HasIndex(s => s.JournalId, "ix_slashes_journal");
        builder.Ignore(s => s.Reference);
    }
}
