#pragma once
// Schema migrations and the standard names, written once for both engines. Each function runs
// inside a transaction that the caller opened (SqlDatabase::migrate runs one per migration).
#include <cstdint>
#include <optional>

#include "service/store/migrations.hpp"
#include "service/store/sql_session.hpp"

namespace vgpu::store {

// The highest migration applied (0 for an empty database).
int applied_version(sql::Session& s);

// Applies `m` unless the database already has it. Safe to call from several processes at once:
// the dialect's migration lock makes the second one wait, then see the version and skip.
void apply_migration(sql::Session& s, const Migration& m, std::int64_t now);

// Makes the standard resource classes (ids = list positions) and traits exist.
void sync_standard_names(sql::Session& s);

// The first column of the first row of a query, if any row.
std::optional<std::int64_t> query_integer(sql::Session& s, std::string_view sql,
                                          sql::Params params = {});

}  // namespace vgpu::store
