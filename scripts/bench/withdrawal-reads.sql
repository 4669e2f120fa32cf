-- Baseline 2 of POST /v1/withdrawals runs these before withdrawal.sql: the two reads the API makes before it posts,
-- whether the wallet is verified (WithdrawalEndpoints) and the account's ledger account ids (MarketLedgerAccounts).
select wallet_address, wallet_verified from accounts where id = @account;
select kind, id from ledger_accounts where account_id = @account;
