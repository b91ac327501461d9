#include "scheduler/model/provider.hpp"

#include <algorithm>

namespace vgpu::scheduler {

bool Provider::has_trait(TraitId t) const {
  return std::binary_search(traits.begin(), traits.end(), t);
}

bool Provider::in_aggregate(const Uuid& a) const {
  return std::binary_search(aggregates.begin(), aggregates.end(), a);
}

}  // namespace vgpu::scheduler
