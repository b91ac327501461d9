#include "scheduler/vgpu/score_spread.hpp"

namespace vgpu::scheduler::vgpu {

double spread_score(const PackingInput& in) { return 100.0 - packing_score(in); }

}  // namespace vgpu::scheduler::vgpu
