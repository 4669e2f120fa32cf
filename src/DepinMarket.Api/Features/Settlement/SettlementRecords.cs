using DepinMarket.Api.Data.Configurations;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Settlement;

// The settlement tables (migration 0013) in the EF model, so the schema test holds them to the migration.

/// <summary>A row of <c>settlement_recipients</c>: one line of a batch's payout call.</summary>
public sealed class SettlementRecipient
{
    public Guid BatchId { get; init; }
    public int Position { get; init; }
    public string Wallet { get; init; } = "";
    public Domain.Money.TokenAmount Amount { get; init; }
}

/// <summary>A row of <c>settlement_attempts</c>: one signed transaction of a batch, stored before it was broadcast.</summary>
public sealed class SettlementAttempt
{
    public long Id { get; init; }
    public Guid BatchId { get; init; }
    public int Attempt { get; init; }
    public long Nonce { get; init; }
    public System.Numerics.BigInteger MaxFeePerGas { get; init; }
    public System.Numerics.BigInteger MaxPriorityFeePerGas { get; init; }
    public string TransactionHash { get; init; } = "";
    public string SignedTransaction { get; init; } = "";
    public DateTimeOffset SignedAt { get; init; }
    public DateTimeOffset? BroadcastAt { get; set; }
    public int Broadcasts { get; set; }
    public string? LastError { get; set; }
}

internal sealed class SettlementBatchConfiguration : IEntityTypeConfiguration<SettlementBatch>
{
    public void Configure(EntityTypeBuilder<SettlementBatch> builder)
    {
        builder.ToTable("settlement_batches", t =>
        {
            t.HasCheckConstraint("settlement_batches_kind_check", EnumText<SettlementBatchKind>.CheckIn("kind"));
            t.HasCheckConstraint("settlement_batches_status_check", EnumText<SettlementBatchStatus>.CheckIn("status"));
            t.HasCheckConstraint("settlement_batches_total_check", "total > 0 and recipient_count > 0");
            t.HasCheckConstraint("settlement_batches_settled_check",
                "(status in ('confirmed', 'reverted')) = (settled_at is not null and block_number is not null)");
        });
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Kind).HasConversion(new EnumText<SettlementBatchKind>());
        builder.Property(b => b.Status).HasConversion(new EnumText<SettlementBatchStatus>());
        builder.Ignore(b => b.ChainId);
        builder.HasIndex(b => b.CreatedAt, "ix_settlement_batches_open").HasFilter("status in ('pending', 'stored', 'sent')");
        builder.HasIndex(b => b.JournalId, "ix_settlement_batches_journal");
        builder.HasOne<Journal>().WithMany().HasForeignKey(b => b.JournalId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class SettlementRecipientConfiguration : IEntityTypeConfiguration<SettlementRecipient>
{
    public void Configure(EntityTypeBuilder<SettlementRecipient> builder)
    {
        builder.ToTable("settlement_recipients", t => t.HasCheckConstraint("settlement_recipients_amount_check", "amount > 0"));
        builder.HasKey(r => new { r.BatchId, r.Position });
        builder.HasOne<SettlementBatch>().WithMany().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class SettlementAttemptConfiguration : IEntityTypeConfiguration<SettlementAttempt>
{
    public void Configure(EntityTypeBuilder<SettlementAttempt> builder)
    {
        builder.ToTable("settlement_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.MaxFeePerGas).HasColumnType("numeric(78,0)");
        builder.Property(a => a.Broadcasts).HasDefaultValue(0);
        builder.Property(a => a.MaxPriorityFeePerGas).HasColumnType("numeric(78,0)");
        builder.HasIndex(a => new { a.BatchId, a.Attempt }, "ux_settlement_attempts_batch_attempt").IsUnique();
        builder.HasIndex(a => a.TransactionHash, "ux_settlement_attempts_hash").IsUnique();
        builder.HasOne<SettlementBatch>().WithMany().HasForeignKey(a => a.BatchId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> builder)
    {
        builder.ToTable("payouts", t =>
        {
            t.HasCheckConstraint("payouts_source_check", EnumText<PayoutSource>.CheckIn("source"));
            t.HasCheckConstraint("payouts_status_check", EnumText<PayoutStatus>.CheckIn("status"));
            t.HasCheckConstraint("payouts_amount_check", "amount > 0");
            t.HasCheckConstraint("payouts_withdrawal_check", "(source = 'withdrawal') = (withdrawal_id is not null)");
        });
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Source).HasConversion(new EnumText<PayoutSource>());
        builder.Property(p => p.Status).HasConversion(new EnumText<PayoutStatus>());
        builder.HasIndex(p => new { p.AccountId, p.CreatedAt, p.Id }, "ix_payouts_account").IsDescending(false, true, true);
        builder.HasIndex(p => p.BatchId, "ix_payouts_batch");
        builder.HasIndex(p => p.WithdrawalId, "ix_payouts_withdrawal");
        builder.HasIndex(p => p.JournalId, "ix_payouts_journal");
        builder.HasOne<SettlementBatch>().WithMany().HasForeignKey(p => p.BatchId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Withdrawal>().WithMany().HasForeignKey(p => p.WithdrawalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(p => p.JournalId).OnDelete(DeleteBehavior.NoAction);
    }
}

/// <summary>A row of <c>settler_nonces</c>.</summary>
public sealed class SettlerNonceRecord
{
    public long ChainId { get; init; }
    public string Address { get; init; } = "";
    public long NextNonce { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The row of <c>settlement_lease</c>.</summary>
public sealed class SettlementLeaseRecord
{
    public short Id { get; init; }
    public string Holder { get; init; } = "";
    public long Epoch { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

internal sealed class SettlerNonceConfiguration : IEntityTypeConfiguration<SettlerNonceRecord>
{
    public void Configure(EntityTypeBuilder<SettlerNonceRecord> builder)
    {
        builder.ToTable("settler_nonces", t => t.HasCheckConstraint("settler_nonces_next_check", "next_nonce >= 0"));
        builder.HasKey(n => new { n.ChainId, n.Address });
    }
}

internal sealed class SettlementLeaseConfiguration : IEntityTypeConfiguration<SettlementLeaseRecord>
{
    public void Configure(EntityTypeBuilder<SettlementLeaseRecord> builder)
    {
        builder.ToTable("settlement_lease", t => t.HasCheckConstraint("settlement_lease_single_row", "id = 1"));
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).ValueGeneratedNever();
    }
}
