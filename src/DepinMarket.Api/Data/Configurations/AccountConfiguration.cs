using DepinMarket.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    /// <summary>The partial unique index that lets one account at most have a given wallet verified.</summary>
    public const string VerifiedWalletIndex = "ux_accounts_verified_wallet";

    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts", t =>
        {
            t.HasCheckConstraint("accounts_display_name_check", "length(display_name) between 1 and 100");
            t.HasCheckConstraint("accounts_wallet_address_check", "wallet_address ~ '^0x[0-9a-fA-F]{40}$'");
            t.HasCheckConstraint("accounts_wallet_address_not_zero_check", "wallet_address <> '0x0000000000000000000000000000000000000000'");
            t.HasCheckConstraint("accounts_role_check", "is_provider or is_client");
        });
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        // Addresses are stored EIP-55 checksummed (the API writes no other form), so plain equality finds them.
        builder.HasIndex(a => a.WalletAddress, "ix_accounts_wallet_address");
        builder.HasIndex(a => a.WalletAddress, VerifiedWalletIndex).IsUnique().HasFilter("wallet_verified");
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys", t =>
        {
            t.HasCheckConstraint("api_keys_hash_check", "length(hash) = 32");
            t.HasCheckConstraint("api_keys_scope_check", EnumText<ApiKeyScope>.CheckIn("scope"));
        });
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Scope).HasConversion(new EnumText<ApiKeyScope>());
        builder.Ignore(k => k.IsRevoked);
        builder.HasIndex(k => k.Prefix, "api_keys_prefix_key").IsUnique();
        builder.HasIndex(k => k.AccountId, "ix_api_keys_account");
        builder.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
