// open_database(): picks the engine from the URL scheme.
#include <charconv>
#include <stdexcept>
#include <string>
#include <string_view>

#include "scheduler/vgpu/data/default_catalog.hpp"
#include "service/store/database.hpp"
#include "service/store/postgres_database.hpp"
#include "service/store/sqlite_database.hpp"

namespace vgpu::store {
namespace {

// "sqlite:///abs/path.db" -> "/abs/path.db"; "sqlite://:memory:" -> ":memory:".
std::string sqlite_path(const std::string& url) {
  std::string path = url.substr(std::string_view("sqlite://").size());
  if (path != ":memory:" && (path.empty() || path.front() != '/')) {
    throw std::invalid_argument("SQLite URL must be sqlite:///absolute/path.db or "
                                "sqlite://:memory:, got " + url);
  }
  return path;
}

// Takes our own "pool_size=N" out of the URL's query string: libpq rejects options it does not
// know. Returns the pool size (the default if absent).
std::size_t take_pool_size(std::string& url) {
  const std::size_t query = url.find('?');
  if (query == std::string::npos) return PostgresDatabase::kDefaultPoolSize;
  std::size_t size = PostgresDatabase::kDefaultPoolSize;
  std::string kept;
  std::size_t start = query + 1;
  while (start <= url.size()) {
    std::size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    const std::string_view param(url.data() + start, end - start);
    constexpr std::string_view kKey = "pool_size=";
    if (param.substr(0, kKey.size()) == kKey) {
      const auto digits = param.substr(kKey.size());
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), size);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || size == 0) {
        // Not the URL itself in the message: it may hold a password.
        throw std::invalid_argument("pool_size in the PostgreSQL URL must be a positive integer");
      }
    } else if (!param.empty()) {
      kept += (kept.empty() ? "" : "&") + std::string(param);
    }
    start = end + 1;
  }
  url = url.substr(0, query) + (kept.empty() ? "" : "?" + kept);
  return size;
}

bool has_prefix(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

CatalogPtr shipped_catalog() {
  auto parsed = scheduler::vgpu::default_catalog();
  return std::make_shared<const scheduler::vgpu::Catalog>(
      parsed ? std::move(*parsed) : scheduler::vgpu::Catalog());
}

std::unique_ptr<Database> open_database(const std::string& url, CatalogPtr catalog) {
  if (!catalog) catalog = shipped_catalog();
  if (has_prefix(url, "sqlite://")) {
    return std::make_unique<SqliteDatabase>(sqlite_path(url), std::move(catalog));
  }
  if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://")) {
    std::string conninfo = url;
    const std::size_t pool_size = take_pool_size(conninfo);
    return std::make_unique<PostgresDatabase>(conninfo, std::move(catalog), pool_size);
  }
  // Only the scheme: the rest may hold a password.
  const std::size_t colon = url.find(':');
  throw std::invalid_argument(
      "unsupported database URL scheme '" +
      (colon == std::string::npos ? std::string("(none)") : url.substr(0, colon)) +
      "': use sqlite:///path/to/file.db, sqlite://:memory: or "
      "postgresql://user:password@host:port/database");
}

}  // namespace vgpu::store
