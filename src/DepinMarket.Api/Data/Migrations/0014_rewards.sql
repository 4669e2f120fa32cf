-- Emission rewards (issue 9, docs/decisions/0019): each epoch's emission from a pre-funded rewards pool to the
-- providers' earnings (paid by settlement like any earnings) and the treasury, closed once per epoch. An epoch's row
-- keeps the schedule and split it was computed with and its providers' rows keep the inputs (what each billed) and
-- the result, so anyone can recompute it from these two tables alone.

alter table journals drop constraint journals_kind_check;
alter table journals add constraint journals_kind_check check (kind in (
    'deposit', 'withdrawal', 'withdrawal_cancel', 'faucet', 'transfer', 'rental_escrow', 'rental_charge', 'rental_refund',
    'payout_settling', 'payout', 'payout_return', 'fee_burn', 'reward', 'reward_funding'));

-- Two more platform accounts: the pool (tokens in the vault set aside for emission) and the treasury.
alter table ledger_accounts drop constraint ledger_accounts_kind_check;
alter table ledger_accounts add constraint ledger_accounts_kind_check check (kind in (
    'available', 'escrow', 'earnings', 'stake', 'settling', 'fees', 'burn', 'chain', 'suspense', 'rewards', 'treasury'));
alter table ledger_accounts drop constraint ledger_accounts_owner_check;
alter table ledger_accounts add constraint ledger_accounts_owner_check check (
    (account_id is null) = (kind in ('fees', 'burn', 'chain', 'suspense', 'rewards', 'treasury')));
insert into ledger_accounts (id, account_id, kind) values (5, null, 'rewards'), (6, null, 'treasury');

create table reward_epochs (
    -- Epoch n covers [starts_at, ends_at); it is closed once (this key) in the transaction that posts its journal.
    epoch               bigint primary key,
    starts_at           timestamptz not null,
    ends_at             timestamptz not null,
    -- The schedule and split as configured when it closed.
    initial_per_epoch   numeric(78, 0) not null,
    monthly_decay_bps   integer not null,
    epochs_per_month    bigint not null,
    cap                 numeric(78, 0) not null,
    providers_bps       integer not null,
    compute_weight      integer not null,
    storage_weight      integer not null,
    model_weight        integer not null,
    -- The result: what the schedule made available, how it was divided, and everything emitted up to this epoch.
    emission            numeric(78, 0) not null,
    providers_share     numeric(78, 0) not null,
    treasury_share      numeric(78, 0) not null,
    unallocated         numeric(78, 0) not null,
    emitted_total       numeric(78, 0) not null,
    -- The pool -> earnings + treasury journal; none when nothing was emitted.
    journal_id          bigint references journals (id),
    closed_at           timestamptz not null,
    constraint reward_epochs_epoch_check check (epoch >= 0 and ends_at > starts_at),
    constraint reward_epochs_sum_check check (emission = providers_share + treasury_share + unallocated),
    constraint reward_epochs_cap_check check (emitted_total <= cap),
    constraint reward_epochs_journal_check check ((journal_id is null) = (providers_share + treasury_share = 0))
);
create index ix_reward_epochs_journal on reward_epochs (journal_id);

-- One row per provider that billed anything in the epoch: its inputs (summed quantities of its rental charges per
-- unit, and its reliability weight) and its share.
create table reward_epoch_providers (
    epoch            bigint not null references reward_epochs (epoch),
    provider_id      uuid not null references accounts (id),
    gpu_seconds      numeric(78, 0) not null,
    gb_hours         numeric(78, 0) not null,
    model_tokens     numeric(78, 0) not null,
    reliability_bps  integer not null,
    share            numeric(78, 0) not null,
    primary key (epoch, provider_id),
    constraint reward_epoch_providers_inputs_check check (gpu_seconds >= 0 and gb_hours >= 0 and model_tokens >= 0 and reliability_bps between 0 and 10000),
    constraint reward_epoch_providers_share_check check (share >= 0)
);
create index ix_reward_epoch_providers_provider on reward_epoch_providers (provider_id);
