-- migrate:no-transaction
-- The background sweeps of settler transactions in doubt (faucet grants, relayed deposits) read the oldest open
-- rows every few seconds; without a partial index that is a scan of every grant or relay ever made. Built
-- CONCURRENTLY so the faucet and the relay keep writing meanwhile. Each statement is safe to run again (the
-- migrator re-runs this file from the top if it stopped half way; a half-built index is dropped and built again).
drop index concurrently if exists ix_faucet_grants_in_doubt;
create index concurrently ix_faucet_grants_in_doubt on faucet_grants (granted_at, id) where status = 'in_doubt';
drop index concurrently if exists ix_deposit_relays_open;
create index concurrently ix_deposit_relays_open on deposit_relays (created_at, id) where status in ('in_doubt', 'relayed');

-- A relay may now end "dropped": never mined and never to be (the node lost it and the vault would refuse it now,
-- or another settler transaction took its nonce). Nothing moved, so it is settled like a revert. The table is small
-- and these checks are quick, so they are replaced in place, each in one statement.
alter table deposit_relays
    drop constraint if exists deposit_relays_status_check,
    add constraint deposit_relays_status_check check (status in ('in_doubt', 'relayed', 'mined', 'reverted', 'dropped'));
alter table deposit_relays
    drop constraint if exists deposit_relays_resolved_check,
    add constraint deposit_relays_resolved_check check ((status in ('mined', 'reverted', 'dropped')) = (resolved_at is not null));

-- A reverted or dropped relay moved nothing and left the permit's nonce unused on chain, so the owner's next permit
-- carries the same nonce: the old unique index on every relay refused it forever. Only a relay that may still move
-- tokens, or did, holds its permit now. The new index is built before the old one goes, so a permit is never unguarded.
drop index concurrently if exists deposit_relays_holding_permit_key;
create unique index concurrently deposit_relays_holding_permit_key on deposit_relays (owner_address, permit_nonce)
    where status in ('in_doubt', 'relayed', 'mined');
drop index concurrently if exists deposit_relays_permit_key;
alter index deposit_relays_holding_permit_key rename to deposit_relays_permit_key;
