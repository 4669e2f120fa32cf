using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.DepositWatcher;

// The watcher's tables (migration 0007) in the EF model, so the schema test holds their keys, indexes and CHECKs to
// the migration. The watcher writes them with its own SQL, in the ledger's transactions.

/// <summary>A row of <c>deposits</c>: one vault Deposited log.</summary>
public sealed class DepositRecord
{
    public long Id { get; private set; }
    public string TxHash { get; private set; } = "";
    public int LogIndex { get; private set; }
    public long BlockNumber { get; private set; }
    public string BlockHash { get; private set; } = "";
    public byte[] Reference { get; private set; } = [];
    public string FromAddress { get; private set; } = "";
    public TokenAmount Amount { get; private set; }
    public string Status { get; private set; } = "";
    public Guid? AccountId { get; private set; }
    public long? JournalId { get; private set; }
    public long? AssignJournalId { get; private set; }
    public DateTimeOffset SeenAt { get; private set; }
    public DateTimeOffset? CreditedAt { get; private set; }
}

/// <summary>The one row of <c>deposit_scan</c>: the watcher's progress.</summary>
public sealed class DepositScanRecord
{
    public short Id { get; private set; }
    public long LastBlock { get; private set; }
    public long HeadBlock { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
}

internal sealed class DepositRecordConfiguration : IEntityTypeConfiguration<DepositRecord>
{
    public void Configure(EntityTypeBuilder<DepositRecord> builder)
    {
        builder.ToTable("deposits", t =>
        {
            t.HasCheckConstraint("deposits_amount_check", "amount > 0");
            t.HasCheckConstraint("deposits_status_check", "status in ('pending', 'credited', 'held', 'reorged')");
            t.HasCheckConstraint("deposits_credited_check", "(status in ('credited', 'held')) = (journal_id is not null and credited_at is not null)");
            t.HasCheckConstraint("deposits_account_check", "status <> 'credited' or account_id is not null");
        });
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => new { d.TxHash, d.LogIndex }, "ux_deposits_log").IsUnique();
        builder.HasIndex(d => new { d.AccountId, d.BlockNumber, d.Id }, "ix_deposits_account").IsDescending(false, true, true);
        builder.HasIndex(d => new { d.Status, d.BlockNumber }, "ix_deposits_open").HasFilter("status in ('pending', 'held')");
        builder.HasIndex(d => d.JournalId, "ix_deposits_journal");
        builder.HasIndex(d => d.AssignJournalId, "ix_deposits_assign_journal");
        builder.HasOne<Account>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(d => d.JournalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(d => d.AssignJournalId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class DepositScanRecordConfiguration : IEntityTypeConfiguration<DepositScanRecord>
{
    public void Configure(EntityTypeBuilder<DepositScanRecord> builder)
    {
        builder.ToTable("deposit_scan", t => t.HasCheckConstraint("deposit_scan_single_row", "id = 1"));
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
    }
}
