-- Accounts, API keys and the three kinds of offer.
-- Token amounts are integers in base units (18 decimals): numeric(78,0) holds any uint256.

create table accounts (
    id               uuid primary key,
    display_name     text not null check (length(display_name) between 1 and 100),
    is_provider      boolean not null,
    is_client        boolean not null,
    wallet_address   text not null check (wallet_address ~ '^0x[0-9a-fA-F]{40}$'),
    wallet_verified  boolean not null default false,
    created_at       timestamptz not null,
    check (is_provider or is_client)
);
create index ix_accounts_wallet on accounts (lower(wallet_address));

create table api_keys (
    id          uuid primary key,
    account_id  uuid not null references accounts (id),
    name        text not null,
    prefix      text not null unique,
    hash        bytea not null check (length(hash) = 32),
    scope       text not null check (scope in ('read_only', 'full')),
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index ix_api_keys_account on api_keys (account_id);

create table compute_offers (
    id                  uuid primary key,
    provider_id         uuid not null references accounts (id),
    status              text not null check (status in ('draft', 'active', 'paused', 'retired')),
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    gpu_model           text not null,
    gpu_short_name      text not null,
    gpu_count           integer not null check (gpu_count between 1 and 64),
    vram_gb_per_gpu     integer not null check (vram_gb_per_gpu > 0),
    cpu_cores           integer not null check (cpu_cores > 0),
    ram_gb              integer not null check (ram_gb > 0),
    disk_gb             integer not null check (disk_gb > 0),
    country_code        text not null check (country_code ~ '^[A-Z]{2}$'),
    city                text,
    price_per_gpu_hour  numeric(78, 0) not null check (price_per_gpu_hour > 0),
    min_hours           integer not null check (min_hours > 0),
    max_hours           integer not null check (max_hours >= min_hours),
    gpus_available      integer not null check (gpus_available between 0 and gpu_count)
);
-- Search only ever looks at active offers, so the search indexes are partial: smaller, and they
-- serve "cheapest first" and "newest first" as index scans that stop after one page.
create index ix_compute_offers_gpu_price on compute_offers (gpu_short_name, price_per_gpu_hour, id) where status = 'active';
create index ix_compute_offers_price on compute_offers (price_per_gpu_hour, id) where status = 'active';
create index ix_compute_offers_newest on compute_offers (created_at desc, id desc) where status = 'active';
create index ix_compute_offers_provider on compute_offers (provider_id, created_at desc);

create table storage_offers (
    id                   uuid primary key,
    provider_id          uuid not null references accounts (id),
    status               text not null check (status in ('draft', 'active', 'paused', 'retired')),
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    capacity_gb          bigint not null check (capacity_gb > 0),
    available_gb         bigint not null check (available_gb between 0 and capacity_gb),
    price_per_gb_month   numeric(78, 0) not null check (price_per_gb_month > 0),
    country_code         text not null check (country_code ~ '^[A-Z]{2}$'),
    city                 text,
    replication_factor   integer not null check (replication_factor between 1 and 10),
    min_duration_days    integer not null check (min_duration_days > 0),
    proofs_enabled       boolean not null
);
create index ix_storage_offers_price on storage_offers (price_per_gb_month, id) where status = 'active';
create index ix_storage_offers_newest on storage_offers (created_at desc, id desc) where status = 'active';
create index ix_storage_offers_provider on storage_offers (provider_id, created_at desc);

create table model_offers (
    id                               uuid primary key,
    provider_id                      uuid not null references accounts (id),
    status                           text not null check (status in ('draft', 'active', 'paused', 'retired')),
    created_at                       timestamptz not null,
    updated_at                       timestamptz not null,
    model_id                         text not null,
    modality                         text not null check (modality in ('text', 'image', 'audio', 'embedding')),
    context_length                   integer not null check (context_length > 0),
    price_per_million_input_tokens   numeric(78, 0) not null check (price_per_million_input_tokens > 0),
    price_per_million_output_tokens  numeric(78, 0) not null check (price_per_million_output_tokens >= 0),
    endpoint_url                     text not null check (endpoint_url like 'https://%'),
    requests_per_minute              integer not null check (requests_per_minute > 0)
);
create index ix_model_offers_model_price on model_offers (model_id, price_per_million_input_tokens, id) where status = 'active';
create index ix_model_offers_price on model_offers (price_per_million_input_tokens, id) where status = 'active';
create index ix_model_offers_newest on model_offers (created_at desc, id desc) where status = 'active';
create index ix_model_offers_provider on model_offers (provider_id, created_at desc);
