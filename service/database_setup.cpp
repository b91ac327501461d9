#include "service/database_setup.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace vgpu::service {

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::unique_ptr<store::Database> open_configured_database(const config::Config& config,
                                                          store::CatalogPtr catalog) {
  const std::string& url = config.database;
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.rfind(kSqlite, 0) == 0 && url != "sqlite://:memory:") {
    // SQLite creates the file but not its directory; a fresh laptop has neither.
    const std::filesystem::path file(url.substr(kSqlite.size()));
    std::error_code ec;
    if (file.is_absolute() && file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      throw store::Unavailable("cannot create directory " + file.parent_path().string() + ": " +
                               ec.message());
    }
  }
  try {
    return store::open_database(url, std::move(catalog));
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError("configuration error: invalid value for option 'database' (" +
                              redact_url(url) + "): " + e.what());
  }
}

}  // namespace vgpu::service
