-- The raw-SQL baseline of POST /v1/withdrawals (DepinMarket.Benchmarks sql-script-load; see SqlScript.cs for how
-- statements and @parameters are bound): the database work one withdrawal of 1 token needs, one round trip per
-- statement, in one transaction. What the API does and this leaves out: the wallet-verified read and the read of the
-- account's ledger account ids (here they come from --vars), the balance check in the write (here the CHECK on
-- balances is the only guard), and everything outside the database.

-- The Idempotency-Key, claimed first (as IdempotencyKeyStore.TryClaimAsync; the hash is of the key, not the request).
insert into idempotency_keys (account_id, key, request_hash, created_at)
values (@account, @key, sha256(convert_to(@key, 'UTF8')), @now) on conflict do nothing;

-- The two ledger accounts, locked in id order (as LedgerPoster's lock statement).
select id, kind, balance from ledger_accounts where id = any(array[@available, @settling]) order by id for no key update;

-- The journal, its two postings (balance_after from the updated rows) and the relative balance updates.
with j as (
    insert into journals (kind, reference, external, created_at)
    values ('withdrawal', 'withdrawal:' || @id, false, @now)
    returning id),
u as (
    update ledger_accounts l set balance = l.balance + d.change
    from (values (@available::bigint, -1000000000000000000::numeric), (@settling::bigint, 1000000000000000000::numeric)) as d(id, change)
    where l.id = d.id
    returning l.id, l.balance, d.change),
p as (
    insert into postings (journal_id, ledger_account_id, amount, balance_after)
    select j.id, u.id, u.change, u.balance from j, u)
select id as journal_id from j;

-- The withdrawal row (EF Core's insert in the API).
insert into withdrawals (id, account_id, amount, wallet_address, status, requested_at, cancelled_at, request_journal_id, cancel_journal_id)
values (@id, @account, 1000000000000000000, @wallet, 'requested', @now, null, @journal_id, null);

-- The answer kept for replays: the same JSON the API answers with, built here.
update idempotency_keys
set status_code = 201, content_type = 'application/json; charset=utf-8', location = '/v1/withdrawals/' || @id,
    response_body = convert_to(json_build_object('id', @id, 'amount', '1', 'walletAddress', @wallet, 'status', 'requested',
        'requestedAt', @now, 'cancelledAt', null, 'journalId', @journal_id, 'cancelJournalId', null)::text, 'UTF8')
where account_id = @account and key = @key;
