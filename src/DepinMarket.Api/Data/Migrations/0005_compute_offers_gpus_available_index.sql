-- migrate:no-transaction
-- A search that matches nothing must prove it, and without an index on the filter that excludes everything
-- that proof walks every active offer of the GPU model: about 57,000 rows at 1,000,000 offers for
-- "gpu=H100&minGpus=64", 70 to 100 ms, and once more for the explanation's count. Asking for more free GPUs
-- than any node has is the common way to get there, so minGpus gets a small index of its own (about 6 MB per
-- million offers). The planner picks it when the bound is rare and keeps the price-ordered indexes otherwise.
-- Built concurrently: compute_offers is the hottest table, and a plain CREATE INDEX would block every offer write.
create index concurrently if not exists ix_compute_offers_gpus_available on compute_offers (gpus_available) where status = 'active';
