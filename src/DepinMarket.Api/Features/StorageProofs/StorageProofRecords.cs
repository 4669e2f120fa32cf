using DepinMarket.Api.Data.Configurations;
using DepinMarket.Domain.Nodes;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Stakes;
using DepinMarket.Domain.StorageProofs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.StorageProofs;

// The storage-proof tables (migration 0019) in the EF model, so the schema test holds them to the migration.

internal sealed class StorageCommitmentConfiguration : IEntityTypeConfiguration<StorageCommitment>
{
    public void Configure(EntityTypeBuilder<StorageCommitment> builder)
    {
        builder.ToTable("storage_commitments", t =>
        {
            t.HasCheckConstraint("storage_commitments_merkle_root_check", "length(merkle_root) = 32");
            t.HasCheckConstraint("storage_commitments_chunk_count_check", "chunk_count >= 1");
            t.HasCheckConstraint("storage_commitments_chunk_size_check", "chunk_size = 4096");
        });
        builder.HasKey(c => c.RentalId);
        builder.HasOne<Rental>().WithOne().HasForeignKey<StorageCommitment>(c => c.RentalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(c => c.NextChallengeAt, "ix_storage_commitments_due");
    }
}

internal sealed class StorageChallengeConfiguration : IEntityTypeConfiguration<StorageChallenge>
{
    public void Configure(EntityTypeBuilder<StorageChallenge> builder)
    {
        builder.ToTable("storage_challenges", t =>
        {
            t.HasCheckConstraint("storage_challenges_status_check", EnumText<ChallengeStatus>.CheckIn("status"));
            t.HasCheckConstraint("storage_challenges_nonce_check", "length(nonce) = 32");
            t.HasCheckConstraint("storage_challenges_chunk_index_check", "chunk_index >= 0");
        });
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Status).HasConversion(new EnumText<ChallengeStatus>());
        builder.HasOne<Rental>().WithMany().HasForeignKey(c => c.RentalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Node>().WithMany().HasForeignKey(c => c.NodeId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Slash>().WithMany().HasForeignKey(c => c.SlashId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(c => c.NodeId, "ix_storage_challenges_open").HasFilter("status = 'open'");
        builder.HasIndex(c => c.Deadline, "ix_storage_challenges_due").HasFilter("status = 'open'");
        builder.HasIndex(c => new { c.RentalId, c.IssuedAt }, "ix_storage_challenges_rental");
        builder.HasIndex(c => c.SlashId, "ix_storage_challenges_slash");
    }
}
