-- migrate:no-transaction
-- A wallet is verified by one account at most, so a keyless sign-in by wallet always finds one account and
-- an unverified claim by anyone else cannot block it. The indexes are built CONCURRENTLY: accounts is read
-- on every request. Each statement is safe to run again (the migrator re-runs this file from the top if it
-- stopped half way).

-- Until now one person's two accounts could both verify the same wallet: the oldest keeps its verification,
-- the others must verify again once it releases the wallet (PUT /v1/accounts/me/wallet).
update accounts set wallet_verified = false
where wallet_verified
  and exists (select 1 from accounts older
              where older.wallet_verified and older.wallet_address = accounts.wallet_address
                and (older.created_at, older.id) < (accounts.created_at, accounts.id));
drop index concurrently if exists ux_accounts_verified_wallet;
create unique index concurrently ux_accounts_verified_wallet on accounts (wallet_address) where wallet_verified;

-- Addresses are stored EIP-55 checksummed, and sign-in compares them as stored: lower() served no query.
drop index concurrently if exists ix_accounts_wallet;
drop index concurrently if exists ix_accounts_wallet_address;
create index concurrently ix_accounts_wallet_address on accounts (wallet_address);
