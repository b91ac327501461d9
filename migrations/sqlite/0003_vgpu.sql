-- The vGPU layer (SQLite): hosts reported through PUT /vgpu/v1/hosts/{hostname} and their
-- physical GPUs, the vGPUs consumers hold on them, licence seats held and the licence pools.
-- Each managed GPU is a Placement provider (the pGPU child); what sits on it is not stored here
-- but in vgpu_assignments, released with the consumer (as allocations are). Profiles and boards
-- are stored by NAME: the catalog is data that operators may change, and a name the running
-- catalog no longer knows is reported by `check`, never a failed start.

CREATE TABLE managed_hosts (
  hostname VARCHAR(255) NOT NULL PRIMARY KEY,
  -- The compute node's root provider; deleting it removes the host from the vGPU layer.
  root_provider_id INTEGER NOT NULL REFERENCES resource_providers (id) ON DELETE CASCADE,
  state VARCHAR(16) NOT NULL CHECK (state IN ('active', 'draining', 'standby')),
  idle_watts DOUBLE PRECISION NOT NULL,
  standby_watts DOUBLE PRECISION NOT NULL,
  updated_at BIGINT NOT NULL,
  CONSTRAINT uq_managed_hosts_root UNIQUE (root_provider_id)
);

CREATE TABLE managed_gpus (
  -- The pGPU child provider; deleting it removes the GPU from the vGPU layer.
  provider_id INTEGER NOT NULL PRIMARY KEY
    REFERENCES resource_providers (id) ON DELETE CASCADE,
  hostname VARCHAR(255) NOT NULL REFERENCES managed_hosts (hostname) ON DELETE CASCADE,
  position INTEGER NOT NULL,  -- in the host's GPU order
  pci_address VARCHAR(32) NOT NULL,
  board VARCHAR(64) NOT NULL,
  mode VARCHAR(16) NOT NULL CHECK (mode IN ('equal_size', 'mixed_size', 'mig')),
  naming VARCHAR(16) NOT NULL CHECK (naming IN ('resource_class', 'trait')),
  -- Profile names in the GPU's order, comma-separated (NVIDIA names hold no comma): always
  -- read and written as a whole, so a child table would only add round trips.
  supported_profiles TEXT NOT NULL,
  -- What the host reported; NULL: the board's catalog default.
  idle_watts DOUBLE PRECISION,
  busy_watts DOUBLE PRECISION,
  per_vgpu_watts DOUBLE PRECISION,
  CONSTRAINT uq_managed_gpus_position UNIQUE (hostname, position)
);

-- One row per vGPU a consumer holds. RESTRICT on the provider, as allocations: a GPU with vGPUs
-- on it cannot be deleted (its allocations stop that first). Not tied to managed_gpus, so that
-- re-reporting a host (its GPU rows replaced) keeps the vGPUs.
CREATE TABLE vgpu_assignments (
  consumer_id INTEGER NOT NULL REFERENCES consumers (id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,  -- position in Consumer::vgpus
  gpu_provider_id INTEGER NOT NULL REFERENCES resource_providers (id) ON DELETE RESTRICT,
  profile VARCHAR(64) NOT NULL,
  start_slot INTEGER NOT NULL,
  PRIMARY KEY (consumer_id, ordinal)
);
CREATE INDEX ix_vgpu_assignments_gpu ON vgpu_assignments (gpu_provider_id);

CREATE TABLE seat_holdings (
  consumer_id INTEGER NOT NULL REFERENCES consumers (id) ON DELETE CASCADE,
  edition VARCHAR(16) NOT NULL
    CHECK (edition IN ('rtx_vws', 'vpc', 'vapps', 'ai_enterprise')),
  seats BIGINT NOT NULL CHECK (seats >= 0),
  PRIMARY KEY (consumer_id, edition)
);

-- One row per edition. total NULL: unlimited (no pool configured), still counted. `used` is
-- the sum of the seats held, kept by every claim with a conditional UPDATE in the claim's own
-- transaction (used + n <= total - reserve), so that no pool is over-committed across requests
-- or service instances.
CREATE TABLE licence_pools (
  edition VARCHAR(16) NOT NULL PRIMARY KEY
    CHECK (edition IN ('rtx_vws', 'vpc', 'vapps', 'ai_enterprise')),
  total BIGINT CHECK (total IS NULL OR total >= 0),
  reserve BIGINT NOT NULL DEFAULT 0 CHECK (reserve >= 0),
  used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0)
);
INSERT INTO licence_pools (edition, total, reserve, used) VALUES
  ('rtx_vws', NULL, 0, 0), ('vpc', NULL, 0, 0), ('vapps', NULL, 0, 0),
  ('ai_enterprise', NULL, 0, 0);
