-- Search's "value" sort (issue 10, docs/decisions/0024): an offer's price per point of its provider's reputation, in
-- base units, so that a cheap but unreliable offer does not look like a bargain. Immutable, so PostgreSQL can inline it.
create function price_per_reputation(price numeric, score numeric) returns numeric
language sql immutable strict parallel safe
-- div(), not floor(a / b): numeric division rounds to the scale it chooses (none for a 19-digit quotient), so floor()
-- would see 1634 where truncation, which PricePerReputation.Of does in C#, gives 1633, and keyset paging would repeat rows.
as $$ select div(price * 1000, greatest(floor(score * 10), 1)) $$;
