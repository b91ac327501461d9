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

// One vGPU of a consumer on a managed GPU (managed_gpu.hpp): which profile, at which slot.
// Decided by the vGPU claim rules when the allocation is made; `count` vGPUs of one profile on
// one GPU are `count` assignments.
struct VgpuAssignment {
  ProviderId gpu = kNoProvider;
  std::int32_t profile = 0;  // vgpu::ProfileIndex in the running catalog
  std::int32_t start = 0;    // slot / memory slice; 0 in equal-size mode

  friend bool operator==(const VgpuAssignment&, const VgpuAssignment&) = default;
};

// Licence seats a consumer holds: `seats` of pool `edition` (a vgpu::Edition value).
struct SeatHold {
  std::uint8_t edition = 0;
  std::int64_t seats = 0;

  friend bool operator==(const SeatHold&, const SeatHold&) = default;
};

struct Consumer {
  ConsumerId id = 0;
  Uuid uuid;
  std::string project_id;
  std::string user_id;
  std::string consumer_type;  // "" when never given (reported as "unknown" from 1.38)
  std::int64_t generation = 0;
  std::vector<Allocation> allocations;  // sorted by (provider, class), unique
  std::vector<VgpuAssignment> vgpus;    // on managed GPUs only; empty for plain Placement use
  std::vector<SeatHold> seats;          // licence seats held, at most one entry per edition
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

}  // namespace vgpu::scheduler
