-- Gasless deposits the API relays: the owner's ERC-2612 permit, sent by the settler as DepinVault.depositWithPermit.
-- A row is written once the transaction is signed and before it is broadcast, so nothing that may be on the chain
-- is forgotten; crediting is the deposit watcher's, from the vault's Deposited log.

-- in_doubt: signed and stored, perhaps broadcast | relayed: the node took it |
-- mined / reverted: the receipt says so, with the configured confirmations.
create table deposit_relays (
    id                 uuid primary key,
    account_id         uuid not null references accounts (id),
    owner_address      text not null,
    amount             numeric(78, 0) not null,
    permit_nonce       numeric(78, 0) not null,
    deadline           bigint not null,
    transaction_hash   text not null,
    signed_transaction text not null,
    status             text not null,
    created_at         timestamptz not null,
    resolved_at        timestamptz,
    constraint deposit_relays_owner_address_check check (owner_address ~ '^0x[0-9a-fA-F]{40}$'),
    constraint deposit_relays_amount_check check (amount > 0),
    constraint deposit_relays_permit_nonce_check check (permit_nonce >= 0),
    constraint deposit_relays_status_check check (status in ('in_doubt', 'relayed', 'mined', 'reverted')),
    constraint deposit_relays_resolved_check check ((status in ('mined', 'reverted')) = (resolved_at is not null))
);
-- One relay per permit: the same signature posted twice, or by two requests at once, is sent once.
create unique index deposit_relays_permit_key on deposit_relays (owner_address, permit_nonce);
create unique index deposit_relays_transaction_hash_key on deposit_relays (transaction_hash);
-- GET /v1/deposits/relays lists an account's newest first.
create index ix_deposit_relays_account on deposit_relays (account_id, created_at desc);
