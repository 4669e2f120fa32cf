-- Storage proofs (issue 10, docs/decisions/0023): a storage rental's commitment to its data (a keccak-256 Merkle root
-- over 4096-byte chunks, set by the renter), and the challenges the API sends the serving node at random times: a
-- random chunk and a fresh nonce, answered with the chunk and its Merkle path before a deadline.

create table storage_commitments (
    rental_id          uuid primary key references rentals (id),
    merkle_root        bytea not null,
    chunk_count        integer not null,
    chunk_size         integer not null,
    committed_at       timestamptz not null,
    -- When the challenger next picks this rental (a random, memoryless wait, so a node cannot predict it).
    next_challenge_at  timestamptz not null,
    constraint storage_commitments_merkle_root_check check (length(merkle_root) = 32),
    constraint storage_commitments_chunk_count_check check (chunk_count >= 1),
    constraint storage_commitments_chunk_size_check check (chunk_size = 4096)
);
create index ix_storage_commitments_due on storage_commitments (next_challenge_at);

create table storage_challenges (
    id           uuid primary key,
    rental_id    uuid not null references rentals (id),
    node_id      uuid not null references nodes (id),
    chunk_index  integer not null,
    nonce        bytea not null,
    issued_at    timestamptz not null,
    deadline     timestamptz not null,
    status       text not null default 'open',
    answered_at  timestamptz,
    -- Why it failed or was missed, in words.
    detail       text,
    slash_id     uuid references slashes (id),
    constraint storage_challenges_status_check check (status in ('open', 'passed', 'failed', 'missed')),
    constraint storage_challenges_nonce_check check (length(nonce) = 32),
    constraint storage_challenges_chunk_index_check check (chunk_index >= 0)
);
-- A heartbeat lists its node's open challenges: a probe of this index, empty for almost every node.
create index ix_storage_challenges_open on storage_challenges (node_id) where status = 'open';
create index ix_storage_challenges_due on storage_challenges (deadline) where status = 'open';
create index ix_storage_challenges_rental on storage_challenges (rental_id, issued_at);
create index ix_storage_challenges_slash on storage_challenges (slash_id);
