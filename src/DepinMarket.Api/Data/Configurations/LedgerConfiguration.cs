using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

// The ledger's tables (migration 0006). EF reads them; balances are written only by LedgerPoster's SQL.

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> builder)
    {
        builder.ToTable("ledger_accounts", t =>
        {
            t.HasCheckConstraint("ledger_accounts_kind_check", EnumText<LedgerAccountKind>.CheckIn("kind"));
            t.HasCheckConstraint("ledger_accounts_balance_check", "balance >= 0 or kind = 'chain'");
            t.HasCheckConstraint("ledger_accounts_owner_check", "(account_id is null) = (kind in ('fees', 'burn', 'chain', 'suspense', 'rewards', 'treasury'))");
        });
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Kind).HasConversion(new EnumText<LedgerAccountKind>());
        builder.HasIndex(a => new { a.AccountId, a.Kind }, "ux_ledger_accounts_account_kind").IsUnique().HasFilter("account_id is not null");
        builder.HasIndex(a => a.Kind, "ux_ledger_accounts_platform_kind").IsUnique().HasFilter("account_id is null");
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class JournalConfiguration : IEntityTypeConfiguration<Journal>
{
    public void Configure(EntityTypeBuilder<Journal> builder)
    {
        builder.ToTable("journals", t =>
        {
            t.HasCheckConstraint("journals_kind_check", EnumText<JournalKind>.CheckIn("kind"));
            t.HasCheckConstraint("journals_reference_check", "length(reference) between 1 and 200");
        });
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Kind).HasConversion(new EnumText<JournalKind>());
        builder.HasIndex(j => new { j.Kind, j.Reference }, "ux_journals_external_reference").IsUnique().HasFilter("external");
    }
}

internal sealed class PostingConfiguration : IEntityTypeConfiguration<Posting>
{
    public void Configure(EntityTypeBuilder<Posting> builder)
    {
        builder.ToTable("postings", t => t.HasCheckConstraint("postings_amount_check", "amount <> 0"));
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.LedgerAccountId, p.Id }, "ix_postings_ledger_account").IsDescending(false, true);
        builder.HasIndex(p => p.JournalId, "ix_postings_journal");
        builder.HasOne<Journal>().WithMany().HasForeignKey(p => p.JournalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<LedgerAccount>().WithMany().HasForeignKey(p => p.LedgerAccountId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class WithdrawalConfiguration : IEntityTypeConfiguration<Withdrawal>
{
    public void Configure(EntityTypeBuilder<Withdrawal> builder)
    {
        builder.ToTable("withdrawals", t =>
        {
            t.HasCheckConstraint("withdrawals_amount_check", "amount > 0");
            t.HasCheckConstraint("withdrawals_status_check", EnumText<WithdrawalStatus>.CheckIn("status"));
            t.HasCheckConstraint("withdrawals_cancelled_check", "(status = 'cancelled') = (cancelled_at is not null and cancel_journal_id is not null)");
        });
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Status).HasConversion(new EnumText<WithdrawalStatus>());
        builder.HasIndex(w => new { w.AccountId, w.RequestedAt, w.Id }, "ix_withdrawals_account").IsDescending(false, true, true);
        builder.HasIndex(w => w.RequestJournalId, "ix_withdrawals_request_journal");
        builder.HasIndex(w => w.CancelJournalId, "ix_withdrawals_cancel_journal");
        builder.HasOne<Account>().WithMany().HasForeignKey(w => w.AccountId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(w => w.RequestJournalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(w => w.CancelJournalId).OnDelete(DeleteBehavior.NoAction);
    }
}
