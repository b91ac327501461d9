#pragma once
// A host report (host_report.hpp) -> the Placement provider tree Nova's libvirt driver would
// make for it (domain/nova.md §2), plus the host in the vGPU layer:
//   root   named by the hostname; an existing provider of that name (Nova's compute node) is
//          adopted, never duplicated; a new one gets the report's root_uuid (the compute
//          node's), else a uuid from the caller's generator
//   child  one per pGPU, named `<hostname>_pci_0000_84_00_0`, parent the root; adopted by name
//          naming=resource_class: one inventory CUSTOM_VGPU_<P> (or the operator's mapped
//            class) per supported profile, total = the profile's max per GPU in the GPU's mode
//          naming=trait: one VGPU inventory, total = the largest of those maxima, and one trait
//            CUSTOM_NVIDIA_<P> (or mapped) per supported profile
//          every inventory as Nova sets it: reserved 0, min_unit 1, max_unit total, step 1,
//          allocation_ratio 1.0. Other inventories and traits of an adopted child (e.g. the
//          charm's CUSTOM_VGPU_PLACEMENT) are kept; only vGPU classes and profile traits are
//          replaced.
//   PutManagedHost  the host and its GPUs (board, mode, supported profiles, power, naming).
// Idempotent: a second identical report yields only the PutManagedHost (no provider change).
// GPUs of an earlier report that are missing now lose their provider (as Nova removes pGPU
// providers that vanish) unless something is allocated there: then the report is refused.
//
// One report is one transaction, also a host's first: new custom classes and traits and a new
// root come first in the ChangeSet, and the changes after them refer to them by provisional id
// (scheduler/model/provisional_id.hpp), which the store binds as it inserts them.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/model/change_set.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/host_report.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::vgpu {

struct HostTreePlan {
  // A bad report: one sentence naming the field, e.g.
  //   `gpus[1].board: unknown board "A41"`, `gpus[0].supported_profiles[2]: A100-4C is a
  //   profile of board A100, not A40`. Nothing is to be written then.
  std::optional<std::string> error;
  // The error comes from what the state holds (allocations or vGPUs the report would drop, a
  // provider of that name or uuid in the way), not from the report itself: 409 rather than 400.
  bool error_is_conflict = false;
  ChangeSet changes;  // commit in one transaction
  // The vGPUs the host says are live, checked against the report (their GPU is reported, their
  // profile known); for the caller to record or compare (compare_live_vgpus).
  std::vector<ReportedVgpu> live_vgpus;
};

// Nova's name of a pGPU provider: "<hostname>_pci_0000_84_00_0" for "0000:84:00.0".
std::string gpu_provider_name(const std::string& hostname, const std::string& pci_address);
// Whether the text is a PCI address "dddd:bb:dd.f" (hex digits, either case).
bool valid_pci_address(const std::string& text);

HostTreePlan plan_host_tree(const State& state, const VgpuConfig& config,
                            const HostReport& report, std::int64_t now,
                            const std::function<Uuid()>& new_uuid);

// The host's live vGPUs against what the state says sits on its managed GPUs (for `check` and
// the host report): a live vGPU matches a placed one on the same GPU with the same profile, the
// same consumer and start when the host gives them.
struct LiveVgpuDiff {
  enum class Kind { missing, extra, mismatched };
  Kind kind = Kind::missing;
  std::string gpu;     // pci address
  std::string detail;  // one sentence with the profile, consumer and start
};
std::vector<LiveVgpuDiff> compare_live_vgpus(const State& state, const VgpuConfig& config,
                                             const std::string& hostname,
                                             const std::vector<ReportedVgpu>& live);
std::string_view to_string(LiveVgpuDiff::Kind);  // "missing", "extra", "mismatched"

}  // namespace vgpu::scheduler::vgpu
