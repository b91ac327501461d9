#pragma once
// A claim: what each named consumer should hold after one write (PUT /allocations/{consumer},
// POST /allocations). The consumers' current allocations are replaced as a whole, so a claim
// that moves a consumer from one provider to another frees the old place as it takes the new.
#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/model/consumer.hpp"

namespace vgpu::scheduler::allocation {

struct ConsumerClaim {
  Uuid consumer;
  std::vector<Allocation> allocations;  // empty: release everything the consumer holds
  std::string project_id;
  std::string user_id;
  std::string consumer_type;  // "" keeps the consumer's current type (or none for a new one)
};

}  // namespace vgpu::scheduler::allocation
