-- migrate:no-transaction
-- Closing a reward epoch sums the rental charges written in its hour (docs/decisions/0019). Without an index that
-- is a scan of every charge ever made, once an hour and growing. Charges are appended in time order, so a BRIN index
-- (a few pages for millions of rows, next to nothing per insert for the metering worker) narrows the scan to the
-- blocks of that hour. Built CONCURRENTLY so metering keeps writing; safe to run again from the top.
drop index concurrently if exists ix_rental_charges_created_at;
create index concurrently ix_rental_charges_created_at on rental_charges using brin (created_at);
