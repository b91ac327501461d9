#pragma once
// Spread score: the inverse of packing (least allocated first), for sites that opt in to
// anti-affinity, i.e. spreading VMs over GPUs and hosts (fewer neighbours sharing a GPU's
// time slices, smaller blast radius). Same inputs as packing:
//   spread = 100 - packing
// so an empty GPU on an idle host scores near 100 and the last slot of a full host near 0.
#include "scheduler/vgpu/score_packing.hpp"

namespace vgpu::scheduler::vgpu {

double spread_score(const PackingInput&);

}  // namespace vgpu::scheduler::vgpu
