-- Validators and model scoring (issue 10, docs/decisions/0021): accounts the operator lets score model offers, their
-- scores per epoch, and each closed epoch's consensus per offer and outcome per validator (after Bittensor's Yuma
-- consensus: stake × trust weighted median, scores clipped to a band around it, trust following divergence).
-- An epoch's rows keep the settings, stakes and trusts it was computed with, so anyone can recompute it.

create table validators (
    account_id  uuid primary key references accounts (id),
    -- Scales the validator's stake into its weight; starts at Validators:InitialTrust, moved by every epoch it scored in.
    trust       double precision not null,
    granted_at  timestamptz not null,
    revoked_at  timestamptz,
    -- NaN sorts above every number in PostgreSQL, so "<= 1" refuses it too.
    constraint validators_trust_check check (trust between 0 and 1),
    constraint validators_revoked_check check (revoked_at is null or revoked_at >= granted_at)
);

-- A validator's latest score of an offer in an epoch: a resubmission in the same epoch replaces it (upsert on the key).
create table model_scores (
    epoch         bigint not null,
    validator_id  uuid not null references validators (account_id),
    offer_id      uuid not null references model_offers (id),
    quality       double precision not null,
    latency       double precision not null,
    submitted_at  timestamptz not null,
    primary key (epoch, validator_id, offer_id),
    constraint model_scores_epoch_check check (epoch >= 0),
    constraint model_scores_range_check check (quality between 0 and 1 and latency between 0 and 1)
);
-- The foreign keys' own indexes, so the referenced rows' locks and checks never scan the scores; the validator's
-- leads a validator's recent scores, for an operator looking into one.
create index ix_model_scores_validator on model_scores (validator_id, epoch desc);
create index ix_model_scores_offer on model_scores (offer_id);

-- One row per closed epoch, inserted first in the closing transaction: a second closer's insert conflicts and it
-- writes nothing. The consensus settings are the ones it was closed with.
create table model_score_epochs (
    epoch                bigint primary key,
    starts_at            timestamptz not null,
    ends_at              timestamptz not null,
    clip_band            double precision not null,
    trust_learning_rate  double precision not null,
    divergence_scale     double precision not null,
    closed_at            timestamptz not null,
    constraint model_score_epochs_epoch_check check (epoch >= 0 and ends_at > starts_at)
);

-- Each scored offer's consensus in a closed epoch, per dimension (null with its median when only validators without
-- weight scored it).
create table model_score_results (
    epoch           bigint not null references model_score_epochs (epoch),
    offer_id        uuid not null references model_offers (id),
    quality         double precision,
    latency         double precision,
    quality_median  double precision,
    latency_median  double precision,
    validators      integer not null,
    primary key (epoch, offer_id),
    constraint model_score_results_range_check check (
        quality between 0 and 1 and latency between 0 and 1 and quality_median between 0 and 1 and latency_median between 0 and 1),
    constraint model_score_results_median_check check ((quality is null) = (quality_median is null) and (latency is null) = (latency_median is null)),
    constraint model_score_results_validators_check check (validators > 0)
);
-- An offer's history, newest first (its scores endpoint, and the latest score per offer for reputation).
create index ix_model_score_results_offer on model_score_results (offer_id, epoch desc);

-- Each validator that scored in a closed epoch: its stake and trust going in, its weight, divergence and new trust.
create table model_score_validator_outcomes (
    epoch          bigint not null references model_score_epochs (epoch),
    validator_id   uuid not null references validators (account_id),
    stake          numeric(78, 0) not null,
    weight         double precision not null,
    offers_scored  integer not null,
    divergence     double precision,
    trust_before   double precision not null,
    trust_after    double precision not null,
    primary key (epoch, validator_id),
    constraint model_score_validator_outcomes_check check (
        stake >= 0 and weight >= 0 and offers_scored > 0 and divergence >= 0 and trust_before between 0 and 1 and trust_after between 0 and 1)
);
-- A validator's trust over the epochs, newest first.
create index ix_model_score_validator_outcomes_validator on model_score_validator_outcomes (validator_id, epoch desc);
