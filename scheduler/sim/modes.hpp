#pragma once
// Simulation modes by name, for `vgpu-placement simulate --mode`. Adding a mode: implement
// Mode (mode.hpp) and add a line to make_mode() and mode_names().
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/sim/mode.hpp"

namespace vgpu::scheduler::sim {

// nullptr for an unknown name. `board`: the vGPU modes' board (empty: theirs by default); throws
// std::invalid_argument for a board the mode cannot use.
std::unique_ptr<Mode> make_mode(std::string_view name, std::string_view board = {});
std::vector<std::string> mode_names();

}  // namespace vgpu::scheduler::sim
