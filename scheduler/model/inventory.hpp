#pragma once
// One resource class's inventory on one provider, with Placement's capacity rule.
#include <cstdint>  // INT64_MAX

namespace vgpu::scheduler {

struct Inventory {
  std::int64_t total = 0;
  std::int64_t reserved = 0;
  std::int64_t min_unit = 1;
  std::int64_t max_unit = 0;  // 0 means "not given": callers default it to total
  std::int64_t step_size = 1;
  double allocation_ratio = 1.0;

  // How much may be allocated in all: (total - reserved) * allocation_ratio, rounded down as
  // Placement does (int() of the float product).
  // A ratio up to float max (3.4e38, which Placement accepts) overflows int64: clamp, since
  // converting an out-of-range double is undefined behaviour.
  std::int64_t capacity() const {
    const double c = static_cast<double>(total - reserved) * allocation_ratio;
    if (c >= 9.2e18) return INT64_MAX;
    if (c <= -9.2e18) return INT64_MIN;
    return static_cast<std::int64_t>(c);
  }

  friend bool operator==(const Inventory&, const Inventory&) = default;
};

}  // namespace vgpu::scheduler
