using DepinMarket.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Idempotency;

/// <summary>
/// A stored Idempotency-Key (table idempotency_keys): the request it was first used with (a hash) and the answer
/// to replay. Written and read by <see cref="IdempotencyMiddleware"/> with SQL; mapped so the schema test sees it.
/// </summary>
public sealed class IdempotencyKeyRecord
{
    public Guid AccountId { get; private set; }

    public string Key { get; private set; } = "";

    public byte[] RequestHash { get; private set; } = [];

    public int? StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    public string? Location { get; private set; }

    public byte[]? ResponseBody { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    private IdempotencyKeyRecord()
    {
    }
}

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKeyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyKeyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(k => new { k.AccountId, k.Key });
        builder.HasIndex(k => k.CreatedAt, "ix_idempotency_keys_created_at");
        builder.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
