-- Stakes, slashing and downtime (issue 10, docs/decisions/0022): providers stake from their available balance, an
-- offer is active only while the stake covers its minimum, unstaking cools down before the tokens come back, and a
-- provable fault (downtime beyond grace, a failed storage proof) takes stake to the harmed client and to burn. A
-- rental remembers the node serving it, so that metering charges only time the node was seen alive.

alter table journals drop constraint journals_kind_check;
alter table journals add constraint journals_kind_check check (kind in (
    'deposit', 'withdrawal', 'withdrawal_cancel', 'faucet', 'transfer', 'rental_escrow', 'rental_charge', 'rental_refund',
    'payout_settling', 'payout', 'payout_return', 'fee_burn', 'reward', 'reward_funding', 'stake', 'unstake', 'slash'));

alter table rental_events drop constraint rental_events_type_check;
alter table rental_events add constraint rental_events_type_check check (type in (
    'created', 'accepted', 'declined', 'cancelled', 'expired', 'completed', 'terminated', 'extended', 'access_updated',
    'charge_warning', 'downtime_credited'));

-- An unstake request: the tokens stay in the provider's stake (still backing offers, still slashable) until
-- releases_at, when the release job moves what is left of them back to available.
create table stake_unbondings (
    id               uuid primary key,
    provider_id      uuid not null references accounts (id),
    amount           numeric(78, 0) not null,
    requested_at     timestamptz not null,
    releases_at      timestamptz not null,
    released_at      timestamptz,
    -- What came back: less than the amount when slashes took the stake meanwhile.
    released_amount  numeric(78, 0),
    journal_id       bigint references journals (id),
    constraint stake_unbondings_amount_check check (amount > 0 and (released_amount is null or released_amount <= amount)),
    constraint stake_unbondings_released_check check ((released_at is null) = (released_amount is null))
);
create index ix_stake_unbondings_provider on stake_unbondings (provider_id, requested_at);
create index ix_stake_unbondings_due on stake_unbondings (releases_at) where released_at is null;
create index ix_stake_unbondings_journal on stake_unbondings (journal_id);

-- One slash: what was asked, what was taken (capped by the stake), its split, and its evidence. evidence_key makes a
-- fault slashed once however often the job that finds it runs ("downtime:<rental>:<outage>").
create table slashes (
    id            uuid primary key,
    provider_id   uuid not null references accounts (id),
    reason        text not null,
    evidence_key  text not null,
    -- What the fault was, as JSON: the outage interval, the challenge, the rental.
    evidence      text not null,
    rental_id     uuid references rentals (id),
    client_id     uuid references accounts (id),
    amount        numeric(78, 0) not null,
    to_client     numeric(78, 0) not null,
    to_burn       numeric(78, 0) not null,
    shortfall     numeric(78, 0) not null,
    journal_id    bigint references journals (id),
    created_at    timestamptz not null,
    constraint slashes_reason_check check (reason in ('downtime', 'storage_proof', 'false_usage')),
    constraint slashes_split_check check (to_client + to_burn + shortfall = amount),
    constraint slashes_journal_check check ((journal_id is null) = (to_client + to_burn = 0))
);
create unique index ux_slashes_evidence_key on slashes (evidence_key);
create index ix_slashes_provider on slashes (provider_id, created_at);
create index ix_slashes_client on slashes (client_id, created_at);
create index ix_slashes_rental on slashes (rental_id);
create index ix_slashes_journal on slashes (journal_id);

-- The node serving a rental (copied from its offer when rented) and the seconds not charged because it was down.
alter table rentals add column node_id uuid references nodes (id);
alter table rentals add column unbilled_seconds bigint not null default 0;
alter table rentals add constraint rentals_unbilled_seconds_check check (unbilled_seconds >= 0);
create index ix_rentals_node on rentals (node_id) where node_id is not null;
