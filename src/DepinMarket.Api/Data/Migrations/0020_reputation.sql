-- Reputation (issue 10, docs/decisions/0024): each provider's score 0-100 as last computed from its record (uptime,
-- rentals, storage proofs, model scores, slashes), kept for search to filter and sort on. The endpoint
-- GET /v1/providers/{id}/reputation computes it afresh with its components; this copy is refreshed by a job.

create table provider_standings (
    provider_id     uuid primary key references accounts (id),
    score           numeric(4, 1) not null,
    -- The mean 30-day uptime of its nodes, basis points; null when it has no monitored node.
    uptime30d_bps   integer,
    -- The components as computed (JSON), shown beside the score.
    components      text not null,
    computed_at     timestamptz not null,
    constraint provider_standings_score_check check (score between 0 and 100)
);
create index ix_provider_standings_score on provider_standings (score);
