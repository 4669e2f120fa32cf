-- The raw-SQL baseline of POST /v1/rentals for a model offer with a budget of 0.001 token (DepinMarket.Benchmarks
-- sql-script-load; see SqlScript.cs for how statements and @parameters are bound): the database work one rental needs,
-- one round trip per statement, in one transaction, in the API's order. What it leaves out: the balance check in the
-- ledger write (here the CHECK on balances is the only guard), the second read of the ledger-account ids (MarketLedger
-- EnsureAsync reads both sides' accounts; both are read here once), and everything outside the database.

-- The Idempotency-Key, claimed first (as IdempotencyKeyStore.TryClaimAsync; the hash is of the key, not the request).
insert into idempotency_keys (account_id, key, request_hash, created_at)
values (@account, @key, sha256(convert_to(@key, 'UTF8')), @now) on conflict do nothing;

-- The offer and its prices (RentalCapacity: a model offer takes no capacity, so this is a read).
select provider_id, price_per_million_input_tokens, price_per_million_output_tokens, auto_accept
from model_offers where id = @offer and status = 'active';

-- Both sides' ledger account ids (MarketLedgerAccounts.EnsureAsync, which finds them all existing).
select kind, id from ledger_accounts where account_id = @account;
select kind, id from ledger_accounts where account_id = @provider;

-- The day's commitment for the spend cap (SpendCaps.CommitAsync), 0.001 token plus the 0.25% fee.
with up as (
    insert into spend_days (account_id, day, committed) values (@account, (@now)::date, 1002500000000000)
    on conflict (account_id, day) do update set committed = spend_days.committed + excluded.committed
    returning committed)
select (select committed from up), (select per_day from spend_caps where account_id = @account);

-- The two ledger accounts, locked in id order (as LedgerPoster's lock statement).
select id, kind, balance from ledger_accounts where id = any(array[@available, @escrow]) order by id for no key update;

-- The escrow journal, its two postings and the relative balance updates.
with j as (
    insert into journals (kind, reference, external, created_at)
    values ('rental_escrow', 'rental:' || @id, false, @now)
    returning id),
u as (
    update ledger_accounts l set balance = l.balance + d.change
    from (values (@available::bigint, -1002500000000000::numeric), (@escrow::bigint, 1002500000000000::numeric)) as d(id, change)
    where l.id = d.id
    returning l.id, l.balance, d.change),
p as (
    insert into postings (journal_id, ledger_account_id, amount, balance_after)
    select j.id, u.id, u.change, u.balance from j, u)
select id as journal_id from j;

-- The rental and its "created" event (EF Core's inserts in the API).
insert into rentals (id, kind, offer_id, client_id, provider_id, status, quantity, unit_price, output_unit_price,
    client_reservation_bps, provider_reservation_bps, platform_bps, burn_share_bps, escrowed, escrowed_fee, created_at, accept_by)
values (@id, 'model', @offer, @account, @provider, 'pending', 1, 500000000000000000, 1500000000000000000,
    25, 25, 200, 2000, 1000000000000000, 2500000000000, @now, @now + interval '15 minutes');
insert into rental_events (rental_id, type, actor, status, detail, created_at)
values (@id, 'created', 'client', 'pending', 'a budget of 0.001 tokens; 0.0010025 tokens escrowed', @now);

-- The answer kept for replays: a JSON of the rental, built here.
update idempotency_keys
set status_code = 201, content_type = 'application/json; charset=utf-8', location = '/v1/rentals/' || @id,
    response_body = convert_to(json_build_object('id', @id, 'kind', 'model', 'offerId', @offer, 'clientId', @account,
        'providerId', @provider, 'role', 'client', 'status', 'pending', 'quantity', 1, 'unitPrice', '0.5', 'outputUnitPrice', '1.5',
        'escrowed', '0.001', 'escrowedFee', '0.0000025', 'charged', '0', 'chargedClientFee', '0', 'refunded', '0',
        'held', '0.0010025', 'providerEarnings', '0', 'createdAt', @now, 'acceptBy', @now + interval '15 minutes')::text, 'UTF8')
where account_id = @account and key = @key;
