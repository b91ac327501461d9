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
std::unique_ptr<store::Database> open_configured_database(const config::Config& config);

// The URL with any password replaced by "***", for messages.
std::string redact_url(const std::string& url);

}  // namespace vgpu::service
