-- Wallet sign-in challenges (EIP-4361 style messages, single use) and test-token faucet grants.

create table wallet_challenges (
    id          uuid primary key,
    address     text not null check (address ~ '^0x[0-9a-fA-F]{40}$'),
    nonce       text not null unique,
    message     text not null,
    issued_at   timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    check (expires_at > issued_at)
);

create table faucet_grants (
    id               uuid primary key,
    account_id       uuid not null references accounts (id),
    wallet_address   text not null,
    amount           numeric(78, 0) not null check (amount > 0),
    transaction_hash text,
    granted_at       timestamptz not null
);
-- The cooldown check reads an account's latest grant.
create index ix_faucet_grants_account on faucet_grants (account_id, granted_at desc);
