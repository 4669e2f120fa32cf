using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Auth;
using DepinMarket.Domain.Faucet;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

internal sealed class WalletChallengeConfiguration : IEntityTypeConfiguration<WalletChallenge>
{
    public void Configure(EntityTypeBuilder<WalletChallenge> builder)
    {
        builder.ToTable("wallet_challenges", t =>
        {
            t.HasCheckConstraint("wallet_challenges_address_check", "address ~ '^0x[0-9a-fA-F]{40}$'");
            t.HasCheckConstraint("wallet_challenges_expires_at_check", "expires_at > issued_at");
        });
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasIndex(c => c.Nonce, "wallet_challenges_nonce_key").IsUnique();
        // Two verifies racing with the same signature: the UPDATE of the loser finds UsedAt changed and fails.
        builder.Property(c => c.UsedAt).IsConcurrencyToken();
    }
}

internal sealed class FaucetGrantConfiguration : IEntityTypeConfiguration<FaucetGrant>
{
    public void Configure(EntityTypeBuilder<FaucetGrant> builder)
    {
        builder.ToTable("faucet_grants", t =>
        {
            t.HasCheckConstraint("faucet_grants_amount_check", "amount > 0");
            t.HasCheckConstraint("faucet_grants_status_check", EnumText<FaucetGrantStatus>.CheckIn("status"));
            // Every grant past "reserved" names its transaction, and one in doubt keeps the bytes to re-broadcast.
            t.HasCheckConstraint("faucet_grants_sent_check", "status = 'reserved' or transaction_hash is not null");
            t.HasCheckConstraint("faucet_grants_in_doubt_check", "status <> 'in_doubt' or signed_transaction is not null");
            t.HasCheckConstraint("faucet_grants_resolved_check", "(status in ('confirmed', 'failed')) = (resolved_at is not null)");
        });
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.Amount).HasColumnType("numeric(78,0)");
        builder.Property(g => g.Status).HasConversion(new EnumText<FaucetGrantStatus>())
            // Two requests resolving the same grant: the second UPDATE finds the status changed and does nothing.
            .IsConcurrencyToken();
        builder.Ignore(g => g.CountsAgainstCooldown);
        // The cooldown reads the latest grant of an account and of a wallet.
        builder.HasIndex(g => new { g.AccountId, g.GrantedAt }, "ix_faucet_grants_account").IsDescending(false, true);
        builder.HasIndex(g => new { g.WalletAddress, g.GrantedAt }, "ix_faucet_grants_wallet").IsDescending(false, true);
        builder.HasIndex(g => g.TransactionHash, "faucet_grants_transaction_hash_key").IsUnique();
        // The background sweep reads the oldest grants in doubt.
        builder.HasIndex(g => new { g.GrantedAt, g.Id }, "ix_faucet_grants_in_doubt")
            .HasFilter(EnumText<FaucetGrantStatus>.In("status", FaucetGrantStatus.InDoubt));
        builder.HasOne<Account>().WithMany().HasForeignKey(g => g.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
