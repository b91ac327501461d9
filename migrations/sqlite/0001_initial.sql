-- Initial schema (SQLite). The migrator runs this in one transaction and records version 1 in
-- schema_migrations; connections enable foreign keys, which SQLite leaves off by default.
-- Timestamps are unix seconds. Ids that the service keeps in memory never get reused:
-- AUTOINCREMENT where SQLite would otherwise recycle the highest deleted rowid.

-- Standard classes have fixed ids (their position in os-resource-classes); custom ones start at
-- 10000 (the store assigns max + 1 inside the inserting transaction).
CREATE TABLE resource_classes (
  id INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  CONSTRAINT uq_resource_classes_name UNIQUE (name)
);

CREATE TABLE traits (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(255) NOT NULL,
  CONSTRAINT uq_traits_name UNIQUE (name)
);

CREATE TABLE resource_providers (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  uuid CHAR(36) NOT NULL,
  name VARCHAR(200) NOT NULL,
  generation BIGINT NOT NULL DEFAULT 0,
  -- RESTRICT: a provider with children cannot be deleted (the store reports "in use").
  parent_provider_id INTEGER REFERENCES resource_providers (id) ON DELETE RESTRICT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CONSTRAINT uq_resource_providers_uuid UNIQUE (uuid),
  CONSTRAINT uq_resource_providers_name UNIQUE (name)
);
CREATE INDEX ix_resource_providers_parent ON resource_providers (parent_provider_id);

CREATE TABLE inventories (
  resource_provider_id INTEGER NOT NULL REFERENCES resource_providers (id) ON DELETE CASCADE,
  resource_class_id INTEGER NOT NULL REFERENCES resource_classes (id) ON DELETE RESTRICT,
  total BIGINT NOT NULL,
  reserved BIGINT NOT NULL,
  min_unit BIGINT NOT NULL,
  max_unit BIGINT NOT NULL,
  step_size BIGINT NOT NULL,
  allocation_ratio DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (resource_provider_id, resource_class_id)
);
-- Deleting a resource class checks this index for remaining inventory.
CREATE INDEX ix_inventories_class ON inventories (resource_class_id);

CREATE TABLE resource_provider_traits (
  resource_provider_id INTEGER NOT NULL REFERENCES resource_providers (id) ON DELETE CASCADE,
  trait_id INTEGER NOT NULL REFERENCES traits (id) ON DELETE RESTRICT,
  PRIMARY KEY (resource_provider_id, trait_id)
);
CREATE INDEX ix_resource_provider_traits_trait ON resource_provider_traits (trait_id);

CREATE TABLE resource_provider_aggregates (
  resource_provider_id INTEGER NOT NULL REFERENCES resource_providers (id) ON DELETE CASCADE,
  aggregate_uuid CHAR(36) NOT NULL,
  PRIMARY KEY (resource_provider_id, aggregate_uuid)
);
CREATE INDEX ix_resource_provider_aggregates_uuid ON resource_provider_aggregates (aggregate_uuid);
