#pragma once
// The schema migrations compiled into the binary (generated from migrations/<dialect>/*.sql by
// embed_migrations.cmake). Listed by version, 1..N without gaps.
#include <string_view>
#include <vector>

namespace vgpu::store {

struct Migration {
  int version;
  std::string_view name;  // "initial" for 0001_initial.sql
  std::string_view sql;   // several statements, run in one transaction
};

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgresql_migrations();

}  // namespace vgpu::store
