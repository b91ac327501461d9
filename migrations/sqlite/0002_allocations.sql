-- Consumers and their allocations (SQLite). A consumer exists only while it holds allocations;
-- project, user and consumer type are plain text (no lookup tables: nothing else refers to
-- them). The consumer generation is checked in SQL on every write, like a provider's.
CREATE TABLE consumers (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  uuid CHAR(36) NOT NULL,
  project_id VARCHAR(255) NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  consumer_type VARCHAR(255),
  generation BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CONSTRAINT uq_consumers_uuid UNIQUE (uuid)
);
CREATE INDEX ix_consumers_project_user ON consumers (project_id, user_id);

-- RESTRICT on providers and classes: neither can be deleted while something is allocated from
-- it (the store reports "in use").
CREATE TABLE allocations (
  consumer_id INTEGER NOT NULL REFERENCES consumers (id) ON DELETE CASCADE,
  resource_provider_id INTEGER NOT NULL REFERENCES resource_providers (id) ON DELETE RESTRICT,
  resource_class_id INTEGER NOT NULL REFERENCES resource_classes (id) ON DELETE RESTRICT,
  used BIGINT NOT NULL,
  PRIMARY KEY (consumer_id, resource_provider_id, resource_class_id)
);
CREATE INDEX ix_allocations_provider ON allocations (resource_provider_id);
CREATE INDEX ix_allocations_class ON allocations (resource_class_id);
