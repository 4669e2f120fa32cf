using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Validators;

// The validator tables (migration 0018) in the EF model, so the schema test holds them to the migration. Validators
// are granted and revoked through EF; scores are upserted by ModelScoreSubmission's SQL; an epoch's rows are written
// once by the closer, in the transaction that inserts its model_score_epochs row, and never changed.

/// <summary>A row of <c>validators</c>: an account the operator let score model offers, and the trust its past scores earned.</summary>
public sealed class ValidatorRecord
{
    public Guid AccountId { get; private set; }

    /// <summary>0 to 1; scales the validator's stake into its weight. Carried from epoch to epoch by the closer.</summary>
    public double Trust { get; set; }

    /// <summary>The latest grant: a revoked validator granted again keeps its trust and gets a new grant time.</summary>
    public DateTimeOffset GrantedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    private ValidatorRecord()
    {
    }

    public static ValidatorRecord Grant(Guid accountId, double initialTrust, DateTimeOffset now) =>
        new() { AccountId = accountId, Trust = initialTrust, GrantedAt = now };

    /// <summary>
    /// Grants the role again after a revocation; nothing for an active validator (PUT is idempotent). The trust stays
    /// as it was: revoking and granting must not wash out a record of diverging.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public bool Regrant(DateTimeOffset now)
    {
        if (IsActive)
        {
            return false;
        }
        RevokedAt = null;
        GrantedAt = now;
        return true;
    }

    /// <summary>Revokes the role; nothing when it is revoked already (DELETE is idempotent and keeps the first revocation's time).</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

/// <summary>A row of <c>model_scores</c>: one validator's latest score of one offer in one epoch.</summary>
public sealed class ModelScoreRecord
{
    public long Epoch { get; private set; }
    public Guid ValidatorId { get; private set; }
    public Guid OfferId { get; private set; }
    public double Quality { get; private set; }
    public double Latency { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
}

/// <summary>A row of <c>model_score_epochs</c>: a closed epoch, with the consensus settings it was closed with.</summary>
public sealed class ModelScoreEpochRecord
{
    public long Epoch { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public double ClipBand { get; init; }
    public double TrustLearningRate { get; init; }
    public double DivergenceScale { get; init; }
    public DateTimeOffset ClosedAt { get; init; }
}

/// <summary>A row of <c>model_score_results</c>: one offer's consensus in a closed epoch, per dimension.</summary>
/// <remarks>A score and its median are null together: only validators without weight (no stake, or no trust left) scored it.</remarks>
public sealed class ModelScoreResultRecord
{
    public long Epoch { get; init; }
    public Guid OfferId { get; init; }
    public double? Quality { get; init; }
    public double? Latency { get; init; }
    public double? QualityMedian { get; init; }
    public double? LatencyMedian { get; init; }
    public int Validators { get; init; }
}

/// <summary>A row of <c>model_score_validator_outcomes</c>: how one validator's scores of an epoch compared with consensus.</summary>
public sealed class ModelScoreValidatorOutcomeRecord
{
    public long Epoch { get; init; }
    public Guid ValidatorId { get; init; }

    /// <summary>Its stake when the epoch closed.</summary>
    public TokenAmount Stake { get; init; }

    /// <summary>Stake (in base units) × trust before: its say in the epoch.</summary>
    public double Weight { get; init; }

    public int OffersScored { get; init; }

    /// <summary>The mean over both dimensions of its mean distance from the medians; null when nothing it scored had a median.</summary>
    public double? Divergence { get; init; }

    public double TrustBefore { get; init; }

    /// <summary>The mean of the two dimensions' new trust.</summary>
    public double TrustAfter { get; init; }
}

internal sealed class ValidatorConfiguration : IEntityTypeConfiguration<ValidatorRecord>
{
    public void Configure(EntityTypeBuilder<ValidatorRecord> builder)
    {
        builder.ToTable("validators", t =>
        {
            t.HasCheckConstraint("validators_trust_check", "trust between 0 and 1");
            t.HasCheckConstraint("validators_revoked_check", "revoked_at is null or revoked_at >= granted_at");
        });
        builder.HasKey(v => v.AccountId);
        builder.Property(v => v.AccountId).ValueGeneratedNever();
        builder.Ignore(v => v.IsActive);
        builder.HasOne<Account>().WithMany().HasForeignKey(v => v.AccountId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class ModelScoreConfiguration : IEntityTypeConfiguration<ModelScoreRecord>
{
    public void Configure(EntityTypeBuilder<ModelScoreRecord> builder)
    {
        builder.ToTable("model_scores", t =>
        {
            t.HasCheckConstraint("model_scores_epoch_check", "epoch >= 0");
            t.HasCheckConstraint("model_scores_range_check", "quality between 0 and 1 and latency between 0 and 1");
        });
        builder.HasKey(s => new { s.Epoch, s.ValidatorId, s.OfferId });
        builder.HasIndex(s => new { s.ValidatorId, s.Epoch }, "ix_model_scores_validator").IsDescending(false, true);
        builder.HasIndex(s => s.OfferId, "ix_model_scores_offer");
        builder.HasOne<ValidatorRecord>().WithMany().HasForeignKey(s => s.ValidatorId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<ModelOffer>().WithMany().HasForeignKey(s => s.OfferId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class ModelScoreEpochConfiguration : IEntityTypeConfiguration<ModelScoreEpochRecord>
{
    public void Configure(EntityTypeBuilder<ModelScoreEpochRecord> builder)
    {
        builder.ToTable("model_score_epochs", t => t.HasCheckConstraint("model_score_epochs_epoch_check", "epoch >= 0 and ends_at > starts_at"));
        builder.HasKey(e => e.Epoch);
        builder.Property(e => e.Epoch).ValueGeneratedNever();
    }
}

internal sealed class ModelScoreResultConfiguration : IEntityTypeConfiguration<ModelScoreResultRecord>
{
    public void Configure(EntityTypeBuilder<ModelScoreResultRecord> builder)
    {
        builder.ToTable("model_score_results", t =>
        {
            t.HasCheckConstraint("model_score_results_range_check",
                "quality between 0 and 1 and latency between 0 and 1 and quality_median between 0 and 1 and latency_median between 0 and 1");
            t.HasCheckConstraint("model_score_results_median_check", "(quality is null) = (quality_median is null) and (latency is null) = (latency_median is null)");
            t.HasCheckConstraint("model_score_results_validators_check", "validators > 0");
        });
        builder.HasKey(r => new { r.Epoch, r.OfferId });
        builder.HasIndex(r => new { r.OfferId, r.Epoch }, "ix_model_score_results_offer").IsDescending(false, true);
        builder.HasOne<ModelScoreEpochRecord>().WithMany().HasForeignKey(r => r.Epoch).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<ModelOffer>().WithMany().HasForeignKey(r => r.OfferId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class ModelScoreValidatorOutcomeConfiguration : IEntityTypeConfiguration<ModelScoreValidatorOutcomeRecord>
{
    public void Configure(EntityTypeBuilder<ModelScoreValidatorOutcomeRecord> builder)
    {
        builder.ToTable("model_score_validator_outcomes", t =>
        {
            t.HasCheckConstraint("model_score_validator_outcomes_check",
                "stake >= 0 and weight >= 0 and offers_scored > 0 and divergence >= 0 and trust_before between 0 and 1 and trust_after between 0 and 1");
        });
        builder.HasKey(o => new { o.Epoch, o.ValidatorId });
        builder.HasIndex(o => new { o.ValidatorId, o.Epoch }, "ix_model_score_validator_outcomes_validator").IsDescending(false, true);
        builder.HasOne<ModelScoreEpochRecord>().WithMany().HasForeignKey(o => o.Epoch).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<ValidatorRecord>().WithMany().HasForeignKey(o => o.ValidatorId).OnDelete(DeleteBehavior.NoAction);
    }
}
