-- Faucet grants record where their mint stands, so a mint whose outcome is unknown is never given back;
-- the anonymous CHECKs get names that say which rule they are (a 409 names the constraint it hit);
-- the zero address can no longer be an account's wallet.

-- reserved: cooldown taken, nothing signed | in_doubt: signed and stored, perhaps broadcast |
-- confirmed / failed: the receipt says the mint succeeded / reverted (only failed gives the cooldown back).
alter table faucet_grants
    add column status             text not null default 'reserved',
    add column signed_transaction text,
    add column resolved_at        timestamptz;
-- Until now the hash was written only after a successful receipt, so a grant with a hash was mined; one without
-- was never sent or was lost with its process, and stays reserved (it holds only its own cooldown).
update faucet_grants set status = 'confirmed', resolved_at = granted_at where transaction_hash is not null;
alter table faucet_grants
    alter column status drop default,
    add constraint faucet_grants_status_check check (status in ('reserved', 'in_doubt', 'confirmed', 'failed')),
    add constraint faucet_grants_sent_check check (status = 'reserved' or transaction_hash is not null),
    add constraint faucet_grants_in_doubt_check check (status <> 'in_doubt' or signed_transaction is not null),
    add constraint faucet_grants_resolved_check check ((status in ('confirmed', 'failed')) = (resolved_at is not null));
create unique index faucet_grants_transaction_hash_key on faucet_grants (transaction_hash);
-- The cooldown holds per wallet too: two accounts cannot draw for one wallet within it.
create index ix_faucet_grants_wallet on faucet_grants (wallet_address, granted_at desc);

alter table accounts rename constraint accounts_check to accounts_role_check;
alter table compute_offers rename constraint compute_offers_check to compute_offers_max_hours_check;
alter table compute_offers rename constraint compute_offers_check1 to compute_offers_gpus_available_check;
alter table storage_offers rename constraint storage_offers_check to storage_offers_available_gb_check;
alter table wallet_challenges rename constraint wallet_challenges_check to wallet_challenges_expires_at_check;

-- Nobody controls the zero address. NOT VALID: rows written before this rule are not checked (their owners
-- can change the wallet with PUT /v1/accounts/me/wallet), every new or changed row is.
alter table accounts add constraint accounts_wallet_address_not_zero_check
    check (wallet_address <> '0x0000000000000000000000000000000000000000') not valid;
