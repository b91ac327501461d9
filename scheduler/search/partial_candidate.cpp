#include "scheduler/search/plugin.hpp"

namespace vgpu::scheduler::search {

std::int64_t PartialCandidate::taken(const SearchContext& ctx, ProviderId p, ClassId rc) const {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (chosen[i]->id != p) continue;
    for (const ResourceAmount& r : ctx.slots()[i].resources)
      if (r.resource_class == rc) sum += r.amount;
  }
  return sum;
}

}  // namespace vgpu::scheduler::search
