using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Reputation;

// provider_standings (migration 0020) in the EF model: written by the refresher's SQL, read by search through
// Offer.Provider.Standing.

internal sealed class ProviderStandingConfiguration : IEntityTypeConfiguration<ProviderStanding>
{
    public void Configure(EntityTypeBuilder<ProviderStanding> builder)
    {
        builder.ToTable("provider_standings", t => t.HasCheckConstraint("provider_standings_score_check", "score between 0 and 100"));
        builder.HasKey(s => s.ProviderId);
        builder.Property(s => s.Score).HasColumnType("numeric(4,1)");
        builder.HasOne<Account>().WithOne(a => a.Standing).HasForeignKey<ProviderStanding>(s => s.ProviderId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(s => s.Score, "ix_provider_standings_score");
    }
}
