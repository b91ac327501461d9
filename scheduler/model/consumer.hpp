#pragma once
// A consumer (an instance, a migration...) and what it holds. Immutable once published, like
// Provider: a claim makes a new Consumer and swaps it into the next snapshot. Upstream keeps
// consumers only while they hold allocations, and so do we: a consumer whose allocations become
// empty is deleted.
#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/model/ids.hpp"
#include "scheduler/model/uuid.hpp"

namespace vgpu::scheduler {

struct Allocation {
  ProviderId provider = kNoProvider;
  ClassId resource_class = 0;
  std::int64_t used = 0;

  friend bool operator==(const Allocation&, const Allocation&) = default;
  friend auto operator<=>(const Allocation&, const Allocation&) = default;
};

struct Consumer {
  ConsumerId id = 0;
  Uuid uuid;
  std::string project_id;
  std::string user_id;
  std::string consumer_type;  // "" when never given (reported as "unknown" from 1.38)
  std::int64_t generation = 0;
  std::vector<Allocation> allocations;  // sorted by (provider, class), unique
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

}  // namespace vgpu::scheduler
