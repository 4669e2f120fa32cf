using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

/// <summary>What the three offer tables share: key, owner, status as text, xmin as the concurrency token.</summary>
internal abstract class OfferConfiguration<TOffer>(string table) : IEntityTypeConfiguration<TOffer>
    where TOffer : Offer
{
    public void Configure(EntityTypeBuilder<TOffer> builder)
    {
        builder.ToTable(table);
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Status).HasConversion(new EnumText<OfferStatus>());
        builder.Property(o => o.Version).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");
        builder.HasOne<Account>().WithMany().HasForeignKey(o => o.ProviderId);
        ConfigureTerms(builder);
    }

    /// <summary>What one kind adds; prices need nothing here (a convention maps every TokenAmount).</summary>
    protected virtual void ConfigureTerms(EntityTypeBuilder<TOffer> builder)
    {
    }
}

internal sealed class ComputeOfferConfiguration() : OfferConfiguration<ComputeOffer>("compute_offers");

internal sealed class StorageOfferConfiguration() : OfferConfiguration<StorageOffer>("storage_offers");

internal sealed class ModelOfferConfiguration() : OfferConfiguration<ModelOffer>("model_offers")
{
    protected override void ConfigureTerms(EntityTypeBuilder<ModelOffer> builder) =>
        builder.Property(o => o.Modality).HasConversion(new EnumText<Modality>());
}
