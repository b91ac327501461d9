#pragma once
// Opening the configured database, shared by `serve` and `migrate`.
#include <memory>
#include <string>

#include "service/config/config.hpp"
#include "service/store/database.hpp"

namespace vgpu::service {

// Creates the directory of a sqlite:// file if needed, then opens it. Throws config::ConfigError
// for a malformed URL (naming the option `database`) and store::Unavailable when the database
// cannot be reached.
// `catalog`: the running vGPU catalog the store maps profile names through (serve passes the
// configured one; migrate needs none).
std::unique_ptr<store::Database> open_configured_database(
    const config::Config& config, store::CatalogPtr catalog = store::shipped_catalog());

// The URL with any password replaced by "***", for messages.
std::string redact_url(const std::string& url);

}  // namespace vgpu::service
