using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

/// <summary>What the three offer tables share: key, owner, status as text, xmin as the concurrency token.</summary>
internal abstract class OfferConfiguration<TOffer>(string table) : IEntityTypeConfiguration<TOffer>
    where TOffer : Offer
{
    /// <summary>Search only ever looks at active offers, so the search indexes are partial.</summary>
    protected const string ActiveOnly = "status = 'active'";

    protected string Table => table;

    public void Configure(EntityTypeBuilder<TOffer> builder)
    {
        builder.ToTable(table, t => t.HasCheckConstraint($"{table}_status_check", EnumText<OfferStatus>.CheckIn("status")));
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Status).HasConversion(new EnumText<OfferStatus>());
        builder.Property(o => o.Version).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");
        builder.HasOne(o => o.Provider).WithMany().HasForeignKey(o => o.ProviderId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne(o => o.Node).WithMany().HasForeignKey(o => o.NodeId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(o => o.NodeId, $"ix_{table}_node");
        builder.HasIndex(o => new { o.CreatedAt, o.Id }, $"ix_{table}_newest").IsDescending(true, true).HasFilter(ActiveOnly);
        builder.HasIndex(o => new { o.ProviderId, o.CreatedAt }, $"ix_{table}_provider").IsDescending(false, true);
        ConfigureTerms(builder);
    }

    protected abstract void ConfigureTerms(EntityTypeBuilder<TOffer> builder);

    /// <summary>CHECK constraints named the way PostgreSQL names a column's own ("{table}_{column}_check").</summary>
    protected void HasChecks(EntityTypeBuilder<TOffer> builder, params (string Column, string Sql)[] checks) =>
        builder.ToTable(t =>
        {
            foreach (var (column, sql) in checks)
            {
                t.HasCheckConstraint($"{table}_{column}_check", sql);
            }
        });
}

internal sealed class ComputeOfferConfiguration() : OfferConfiguration<ComputeOffer>("compute_offers")
{
    protected override void ConfigureTerms(EntityTypeBuilder<ComputeOffer> builder)
    {
        builder.HasIndex(o => new { o.GpuShortName, o.PricePerGpuHour, o.Id }, "ix_compute_offers_gpu_price").HasFilter(ActiveOnly);
        builder.HasIndex(o => new { o.PricePerGpuHour, o.Id }, "ix_compute_offers_price").HasFilter(ActiveOnly);
        builder.HasIndex(o => o.GpusAvailable, "ix_compute_offers_gpus_available").HasFilter(ActiveOnly);
        HasChecks(builder,
            ("gpu_count", "gpu_count between 1 and 64"),
            ("vram_gb_per_gpu", "vram_gb_per_gpu > 0"),
            ("cpu_cores", "cpu_cores > 0"),
            ("ram_gb", "ram_gb > 0"),
            ("disk_gb", "disk_gb > 0"),
            ("country_code", "country_code ~ '^[A-Z]{2}$'"),
            ("price_per_gpu_hour", "price_per_gpu_hour > 0"),
            ("min_hours", "min_hours > 0"),
            ("max_hours", "max_hours >= min_hours"),
            ("gpus_available", "gpus_available between 0 and gpu_count"));
    }
}

internal sealed class StorageOfferConfiguration() : OfferConfiguration<StorageOffer>("storage_offers")
{
    protected override void ConfigureTerms(EntityTypeBuilder<StorageOffer> builder)
    {
        builder.HasIndex(o => new { o.PricePerGbMonth, o.Id }, "ix_storage_offers_price").HasFilter(ActiveOnly);
        HasChecks(builder,
            ("capacity_gb", "capacity_gb > 0"),
            ("available_gb", "available_gb between 0 and capacity_gb"),
            ("price_per_gb_month", "price_per_gb_month > 0"),
            ("country_code", "country_code ~ '^[A-Z]{2}$'"),
            ("replication_factor", "replication_factor between 1 and 10"),
            ("min_duration_days", "min_duration_days > 0"));
    }
}

internal sealed class ModelOfferConfiguration() : OfferConfiguration<ModelOffer>("model_offers")
{
    protected override void ConfigureTerms(EntityTypeBuilder<ModelOffer> builder)
    {
        builder.Property(o => o.Modality).HasConversion(new EnumText<Modality>());
        builder.HasIndex(o => new { o.ModelId, o.PricePerMillionInputTokens, o.Id }, "ix_model_offers_model_price").HasFilter(ActiveOnly);
        builder.HasIndex(o => new { o.PricePerMillionInputTokens, o.Id }, "ix_model_offers_price").HasFilter(ActiveOnly);
        HasChecks(builder,
            ("modality", EnumText<Modality>.CheckIn("modality")),
            ("context_length", "context_length > 0"),
            ("price_per_million_input_tokens", "price_per_million_input_tokens > 0"),
            ("price_per_million_output_tokens", "price_per_million_output_tokens >= 0"),
            ("endpoint_url", "endpoint_url like 'https://%'"),
            ("requests_per_minute", "requests_per_minute > 0"));
    }
}
