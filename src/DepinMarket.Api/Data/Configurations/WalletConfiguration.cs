using DepinMarket.Domain.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

internal sealed class WalletChallengeConfiguration : IEntityTypeConfiguration<WalletChallenge>
{
    public void Configure(EntityTypeBuilder<WalletChallenge> builder)
    {
        builder.ToTable("wallet_challenges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasIndex(c => c.Nonce).IsUnique();
        // Two verifies racing with the same signature: the UPDATE of the loser finds UsedAt changed and fails.
        builder.Property(c => c.UsedAt).IsConcurrencyToken();
    }
}

internal sealed class FaucetGrantConfiguration : IEntityTypeConfiguration<Domain.Faucet.FaucetGrant>
{
    public void Configure(EntityTypeBuilder<Domain.Faucet.FaucetGrant> builder)
    {
        builder.ToTable("faucet_grants");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.Amount).HasColumnType("numeric(78,0)");
        builder.HasOne<Domain.Accounts.Account>().WithMany().HasForeignKey(g => g.AccountId);
    }
}
