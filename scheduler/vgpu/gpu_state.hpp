#pragma once
// What one physical GPU is and what sits on it: the input of the placement rules.
#include <cstdint>
#include <vector>

#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::vgpu {

struct PlacedVgpu {
  ProfileIndex profile = 0;
  int start = 0;                 // slot (mixed-size) or memory slice (MIG); 0 in equal-size mode
};

struct GpuState {
  BoardIndex board = 0;
  GpuMode mode = GpuMode::equal_size;
  std::vector<ProfileIndex> supported;  // profiles this GPU may host (operator/host choice)
  std::vector<PlacedVgpu> placed;
};

}  // namespace vgpu::scheduler::vgpu
