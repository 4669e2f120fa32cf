using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Data.Configurations;

// The rentals' tables (migration 0011). Rental rows are changed only under a row lock (FOR UPDATE), so EF's
// tracked updates of them cannot lose a write; their money moves only through LedgerPoster.

internal sealed class RentalConfiguration : IEntityTypeConfiguration<Rental>
{
    public const string Open = "status in ('pending', 'active')";

    public void Configure(EntityTypeBuilder<Rental> builder)
    {
        builder.ToTable("rentals", t =>
        {
            t.HasCheckConstraint("rentals_kind_check", EnumText<RentalKind>.CheckIn("kind"));
            t.HasCheckConstraint("rentals_status_check", EnumText<RentalStatus>.CheckIn("status"));
            t.HasCheckConstraint("rentals_end_reason_check", EnumText<RentalEndReason>.CheckIn("end_reason"));
            t.HasCheckConstraint("rentals_quantity_check", "quantity > 0");
            t.HasCheckConstraint("rentals_term_check", "(kind = 'model') = (term_seconds is null) and (term_seconds is null or term_seconds > 0)");
            t.HasCheckConstraint("rentals_escrowed_check", "escrowed > 0");
            t.HasCheckConstraint("rentals_money_check", "charged <= escrowed and charged + charged_client_fee + refunded <= escrowed + escrowed_fee");
            t.HasCheckConstraint("rentals_ended_check", "(status in ('pending', 'active')) = (ended_at is null) and (ended_at is null) = (end_reason is null)");
            t.HasCheckConstraint("rentals_self_check", "client_id <> provider_id");
            t.HasCheckConstraint("rentals_unbilled_seconds_check", "unbilled_seconds >= 0");
        });
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasConversion(new EnumText<RentalKind>());
        builder.Property(r => r.Status).HasConversion(new EnumText<RentalStatus>());
        builder.Property(r => r.EndReason).HasConversion(new EnumText<RentalEndReason>());
        builder.Property(r => r.Access).HasColumnType("jsonb");
        builder.Property(r => r.Charged).HasDefaultValueSql("0");
        builder.Property(r => r.ChargedClientFee).HasDefaultValueSql("0");
        builder.Property(r => r.Refunded).HasDefaultValueSql("0");
        builder.Property(r => r.WarningsSent).HasDefaultValueSql("0");
        builder.Property(r => r.UnbilledSeconds).HasDefaultValueSql("0");
        builder.Ignore(r => r.LastMeteredQuantity);
        builder.Property(r => r.Version).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");
        builder.HasIndex(r => new { r.ClientId, r.CreatedAt, r.Id }, "ix_rentals_client").IsDescending(false, true, true);
        builder.HasIndex(r => new { r.ProviderId, r.CreatedAt, r.Id }, "ix_rentals_provider").IsDescending(false, true, true);
        builder.HasIndex(r => r.MeteredUntil, "ix_rentals_metering").HasFilter("status = 'active' and term_seconds is not null");
        builder.HasIndex(r => r.AcceptBy, "ix_rentals_pending").HasFilter("status = 'pending'");
        builder.HasIndex(r => r.OfferId, "ix_rentals_open_offer").HasFilter(Open);
        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Domain.Nodes.Node>().WithMany().HasForeignKey(r => r.NodeId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(r => r.NodeId, "ix_rentals_node").HasFilter("node_id is not null");
        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.ProviderId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class RentalEventConfiguration : IEntityTypeConfiguration<RentalEvent>
{
    public void Configure(EntityTypeBuilder<RentalEvent> builder)
    {
        builder.ToTable("rental_events", t =>
        {
            t.HasCheckConstraint("rental_events_type_check", EnumText<RentalEventType>.CheckIn("type"));
            t.HasCheckConstraint("rental_events_actor_check", EnumText<RentalActor>.CheckIn("actor"));
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Type).HasConversion(new EnumText<RentalEventType>());
        builder.Property(e => e.Actor).HasConversion(new EnumText<RentalActor>());
        builder.Property(e => e.Status).HasConversion(new EnumText<RentalStatus>());
        builder.Property(e => e.Reason).HasConversion(new EnumText<RentalEndReason>());
        builder.HasIndex(e => new { e.RentalId, e.Id }, "ix_rental_events_rental");
        builder.HasOne<Rental>().WithMany().HasForeignKey(e => e.RentalId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class RentalChargeConfiguration : IEntityTypeConfiguration<RentalCharge>
{
    public void Configure(EntityTypeBuilder<RentalCharge> builder)
    {
        builder.ToTable("rental_charges", t =>
        {
            t.HasCheckConstraint("rental_charges_unit_check", EnumText<ChargeUnit>.CheckIn("unit"));
            t.HasCheckConstraint("rental_charges_split_check", "usage = provider_earnings + platform_fee + provider_fee");
        });
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Unit).HasConversion(new EnumText<ChargeUnit>());
        builder.HasIndex(c => new { c.RentalId, c.Id }, "ix_rental_charges_rental");
        builder.HasIndex(c => c.JournalId, "ix_rental_charges_journal");
        // Reward epochs sum the charges of an hour (migration 0015).
        builder.HasIndex(c => c.CreatedAt, "ix_rental_charges_created_at").HasMethod("brin");
        builder.HasIndex(c => new { c.RentalId, c.RequestId }, "ux_rental_charges_request").IsUnique().HasFilter("request_id is not null");
        builder.HasOne<Rental>().WithMany().HasForeignKey(c => c.RentalId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Journal>().WithMany().HasForeignKey(c => c.JournalId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class SpendCapConfiguration : IEntityTypeConfiguration<SpendCap>
{
    public void Configure(EntityTypeBuilder<SpendCap> builder)
    {
        builder.ToTable("spend_caps", t => t.HasCheckConstraint("spend_caps_per_day_check", "per_day > 0"));
        builder.HasKey(c => c.AccountId);
        builder.Property(c => c.AccountId).ValueGeneratedNever();
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class SpendDayConfiguration : IEntityTypeConfiguration<SpendDay>
{
    public void Configure(EntityTypeBuilder<SpendDay> builder)
    {
        builder.ToTable("spend_days");
        builder.HasKey(d => new { d.AccountId, d.Day });
        builder.HasOne<Account>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
