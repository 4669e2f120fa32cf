using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Webhooks;

// The webhook tables (migration 0012) in the EF model, so the schema test holds them to the migration. Endpoints are
// written through EF; messages, deliveries and attempts by the outbox's and the worker's own SQL, and read through EF.

/// <summary>A row of <c>webhook_messages</c>: one event for one account, as the exact bytes that are signed and sent.</summary>
public sealed class WebhookMessageRecord
{
    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public string EventType { get; private set; } = "";
    public string Payload { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The webhook-id header: the same on every attempt, so a receiver can drop a repeat.</summary>
    public static string HeaderId(Guid id) => "msg_" + id.ToString("N");
}

/// <summary>A row of <c>webhook_deliveries</c>: one message to one endpoint, until it succeeds or the retries run out.</summary>
public sealed class WebhookDeliveryRecord
{
    public long Id { get; private set; }
    public Guid MessageId { get; private set; }
    public Guid EndpointId { get; private set; }
    public string Status { get; private set; } = "";
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>A row of <c>webhook_attempts</c>: what one try of a delivery got back.</summary>
public sealed class WebhookAttemptRecord
{
    public long Id { get; private set; }
    public long DeliveryId { get; private set; }
    public int Attempt { get; private set; }
    public DateTimeOffset AttemptedAt { get; private set; }
    public int? StatusCode { get; private set; }
    public string? Error { get; private set; }
    public int DurationMs { get; private set; }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints", t =>
        {
            t.HasCheckConstraint("webhook_endpoints_url_check", "length(url) between 1 and 2000");
            t.HasCheckConstraint("webhook_endpoints_event_types_check", "cardinality(event_types) between 1 and 32");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Enabled).HasDefaultValue(true);
        builder.HasIndex(e => e.AccountId, "ix_webhook_endpoints_account");
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class WebhookMessageConfiguration : IEntityTypeConfiguration<WebhookMessageRecord>
{
    public void Configure(EntityTypeBuilder<WebhookMessageRecord> builder)
    {
        builder.ToTable("webhook_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasDefaultValueSql("gen_random_uuid()");
        builder.HasIndex(m => m.AccountId, "ix_webhook_messages_account");
        builder.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDeliveryRecord>
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public void Configure(EntityTypeBuilder<WebhookDeliveryRecord> builder)
    {
        builder.ToTable("webhook_deliveries", t =>
        {
            t.HasCheckConstraint("webhook_deliveries_status_check", $"status in ('{Pending}', '{Succeeded}', '{Failed}')");
            t.HasCheckConstraint("webhook_deliveries_delivered_check", $"(status = '{Succeeded}') = (delivered_at is not null)");
        });
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Status).HasDefaultValue(Pending);
        builder.Property(d => d.Attempts).HasDefaultValue(0);
        builder.HasIndex(d => d.NextAttemptAt, "ix_webhook_deliveries_due").HasFilter($"status = '{Pending}'");
        builder.HasIndex(d => new { d.EndpointId, d.Id }, "ix_webhook_deliveries_endpoint").IsDescending(false, true);
        builder.HasIndex(d => new { d.MessageId, d.EndpointId }, "ux_webhook_deliveries_message_endpoint").IsUnique();
        builder.HasOne<WebhookMessageRecord>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttemptRecord>
{
    public void Configure(EntityTypeBuilder<WebhookAttemptRecord> builder)
    {
        builder.ToTable("webhook_attempts", t => t.HasCheckConstraint("webhook_attempts_outcome_check", "status_code is not null or error is not null"));
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.DeliveryId, a.Attempt }, "ux_webhook_attempts_delivery_attempt").IsUnique();
        builder.HasOne<WebhookDeliveryRecord>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
