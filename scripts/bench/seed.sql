-- Adds compute offers number :from to :to (inclusive) for provider :'provider', straight into the table
-- (the API would take minutes for a million rows; this takes seconds). Row i is the same on every run:
-- its "random" draws are hashes of i, so growing the table from 10,000 to 100,000 to 1,000,000 rows
-- keeps the first rows as they were (created_at aside, which is relative to now()).
--
-- Variety, roughly what a real market looks like:
--   16 GPU models from GpuCatalog (short name, full name, VRAM), each with a typical price; an offer asks
--   0.6x to 1.4x of it, kept within 0.2 to 4 tokens per GPU-hour, stored in base units (18 decimals);
--   1, 2, 4 or 8 GPUs, some of them rented out; 90% active, 5% paused, 3% draft, 2% retired;
--   8 regions, DE and US the busiest; created over the last 365 days.
--
--   psql -v from=1 -v to=10000 -v provider=<account uuid> -f seed.sql

with models(idx, short_name, full_name, vram, price) as (
    values
        (0, 'B200', 'NVIDIA B200 192GB HBM3e', 192, 3.6),
        (1, 'H200', 'NVIDIA H200 141GB HBM3e', 141, 3.0),
        (2, 'H100', 'NVIDIA H100 80GB HBM3', 80, 2.4),
        (3, 'H100-PCIE', 'NVIDIA H100 PCIe 80GB', 80, 2.0),
        (4, 'A100-80GB', 'NVIDIA A100 80GB', 80, 1.5),
        (5, 'A100-40GB', 'NVIDIA A100 40GB', 40, 1.1),
        (6, 'L40S', 'NVIDIA L40S 48GB', 48, 0.9),
        (7, 'L4', 'NVIDIA L4 24GB', 24, 0.4),
        (8, 'A10', 'NVIDIA A10 24GB', 24, 0.5),
        (9, 'T4', 'NVIDIA T4 16GB', 16, 0.25),
        (10, 'V100', 'NVIDIA V100 32GB', 32, 0.45),
        (11, 'RTX-A6000', 'NVIDIA RTX A6000 48GB', 48, 0.6),
        (12, 'RTX-5090', 'NVIDIA GeForce RTX 5090 32GB', 32, 0.8),
        (13, 'RTX-4090', 'NVIDIA GeForce RTX 4090 24GB', 24, 0.5),
        (14, 'RTX-3090', 'NVIDIA GeForce RTX 3090 24GB', 24, 0.3),
        (15, 'MI300X', 'AMD Instinct MI300X 192GB', 192, 2.8)
),
regions(idx, code, city) as (
    values (0, 'DE', 'Frankfurt'), (1, 'DE', 'Berlin'), (2, 'US', 'Ashburn'), (3, 'US', 'Dallas'),
           (4, 'FR', 'Paris'), (5, 'NL', 'Amsterdam'), (6, 'SE', null), (7, 'FI', 'Helsinki'),
           (8, 'GB', 'London'), (9, 'SG', 'Singapore')
),
draws as materialized (
    -- Eight independent uniform draws in [0, 1) per row, from a hash of the row number.
    -- Materialised: inlined, the subquery would run again for every use of r.
    select i,
           array(select (hashint8extended(i, k) & 4294967295)::float8 / 4294967296.0 from generate_series(1, 8) k) as r
    from generate_series(:from, :to) i
),
rows as (
    select d.i, d.r, m.short_name, m.full_name, m.vram,
           (array[1, 1, 2, 2, 4, 4, 8, 8, 8, 16])[1 + floor(d.r[3] * 10)::int] as gpu_count,
           greatest(0.2, least(4.0, round((m.price * (0.6 + 0.8 * d.r[2]))::numeric, 3))) as price_tokens,
           g.code, g.city,
           now() - make_interval(secs => d.r[5] * 365 * 86400) as created
    from draws d
    join models m on m.idx = floor(d.r[1] * 16)::int
    join regions g on g.idx = floor(d.r[4] * 10)::int
)
insert into compute_offers (
    id, provider_id, status, created_at, updated_at, gpu_model, gpu_short_name, gpu_count, vram_gb_per_gpu,
    cpu_cores, ram_gb, disk_gb, country_code, city, price_per_gpu_hour, min_hours, max_hours, gpus_available)
select -- UUIDv7-shaped like the API's ids (time-ordered, so the primary key grows at its right edge), unique per row
       (lpad(to_hex(1700000000000 + i), 12, '0') || '7' || lpad(to_hex(hashint8extended(i, 9) & 4095), 3, '0')
        || '8' || lpad(to_hex(hashint8extended(i, 10) & 1152921504606846975), 15, '0'))::uuid,
       :'provider',
       case when r[6] < 0.90 then 'active' when r[6] < 0.95 then 'paused' when r[6] < 0.98 then 'draft' else 'retired' end,
       created, created, full_name, short_name, gpu_count, vram,
       gpu_count * 12, gpu_count * 128, gpu_count * 500,
       code, city,
       (price_tokens * 1000000000000000000)::numeric(78, 0),
       1, (array[24, 168, 720, 2160])[1 + floor(r[7] * 4)::int],
       floor(r[8] * (gpu_count + 1))::int
from rows;
