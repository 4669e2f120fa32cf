using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Deposits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

internal sealed class DepositRelayConfiguration : IEntityTypeConfiguration<DepositRelay>
{
    public void Configure(EntityTypeBuilder<DepositRelay> builder)
    {
        builder.ToTable("deposit_relays", t =>
        {
            t.HasCheckConstraint("deposit_relays_owner_address_check", "owner_address ~ '^0x[0-9a-fA-F]{40}$'");
            t.HasCheckConstraint("deposit_relays_amount_check", "amount > 0");
            t.HasCheckConstraint("deposit_relays_permit_nonce_check", "permit_nonce >= 0");
            t.HasCheckConstraint("deposit_relays_status_check", EnumText<DepositRelayStatus>.CheckIn("status"));
            t.HasCheckConstraint("deposit_relays_resolved_check", "(status in ('mined', 'reverted', 'dropped')) = (resolved_at is not null)");
        });
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Amount).HasColumnType("numeric(78,0)");
        builder.Property(r => r.PermitNonce).HasColumnType("numeric(78,0)");
        builder.Property(r => r.Status).HasConversion(new EnumText<DepositRelayStatus>())
            // Two requests settling the same relay: the second UPDATE finds the status changed and does nothing.
            .IsConcurrencyToken();
        builder.Ignore(r => r.IsOpen);
        builder.Ignore(r => r.HoldsPermit);
        // One relay holds a permit (owner and nonce) at a time; a reverted or dropped one leaves the nonce to the next.
        builder.HasIndex(r => new { r.OwnerAddress, r.PermitNonce }, "deposit_relays_permit_key").IsUnique()
            .HasFilter(EnumText<DepositRelayStatus>.In("status", DepositRelay.PermitHoldingStatuses));
        // The background sweep reads the oldest open relays.
        builder.HasIndex(r => new { r.CreatedAt, r.Id }, "ix_deposit_relays_open")
            .HasFilter(EnumText<DepositRelayStatus>.In("status", DepositRelayStatus.InDoubt, DepositRelayStatus.Relayed));
        builder.HasIndex(r => r.TransactionHash, "deposit_relays_transaction_hash_key").IsUnique();
        builder.HasIndex(r => new { r.AccountId, r.CreatedAt }, "ix_deposit_relays_account").IsDescending(false, true);
        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
