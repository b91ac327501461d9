#pragma once
// `vgpu-placement check`: every vGPU rule the stored state breaks, as findings (one sentence
// each). Pure: the caller loads the State from the database and prints the findings.
//
// Rules (Finding::rule, stable strings):
//   gpu_rules        placement_rules::violations of a managed GPU (profiles mixed in equal-size
//                    mode, overlapping slots, maxima, starts not allowed...)
//   unknown_profile  a profile or board stored by name that the running catalog does not have
//                    (loaded as -1): a catalog entry removed or renamed
//   assignments      a consumer's vGPU allocations on a managed GPU and its vGPU assignments
//                    there disagree (count per profile), or it has assignments on a provider
//                    that is not a managed GPU
//   licence          a pool with more seats in use than its total (error) or digging into its
//                    reserve (warning: only an administrator's claim may); a consumer holding
//                    seats without vGPUs, or vGPUs without a seat of their edition (warning)
//   provider_gone    a managed host whose root, or a GPU whose provider, no longer exists
//   tree             a managed GPU whose provider is not under its host's root (warning)
#include <string>
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::vgpu {

enum class Severity { error, warning };
std::string_view to_string(Severity);  // "error", "warning"

struct Finding {
  Severity severity = Severity::error;
  std::string rule;
  std::string where;    // "host h1", "GPU 0000:84:00.0 of host h1 (resource provider <uuid>)",
                        // "licence pool vpc", "consumer <uuid>"
  std::string message;
};

// "error gpu_rules GPU 0000:84:00.0 of host h1 (resource provider <uuid>): <message>"
std::string to_string(const Finding&);

// Findings in a stable order: hosts by name and their GPUs in order, then consumers by uuid,
// then pools.
std::vector<Finding> check_state(const State& state, const VgpuConfig& config);

}  // namespace vgpu::scheduler::vgpu
