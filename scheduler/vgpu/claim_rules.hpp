#pragma once
// The vGPU rules on the claim path (PUT /allocations/{consumer}, POST /allocations, POST
// /reshaper): a claim that puts vGPUs on managed GPUs (managed_gpu.hpp) must keep every rule
// the candidate search enforces, whoever sends it. Pure: the caller has already run Placement's
// own capacity checks (allocation/claim_check.hpp) and built the ChangeSet (claim_changes.hpp);
// this decides, per consumer, which vGPUs it will hold (profile and start on each GPU) and
// which licence seats, or refuses the whole claim with the first broken rule.
//
// Which profile an allocation on a managed GPU means:
//   CUSTOM_VGPU_<P> / an operator-mapped class  -> P
//   VGPU (a claim carries no traits)            -> the profile the consumer already holds there
//                                                  (a re-put), else the GPU's current profile
//                                                  (equal-size mode, vGPUs placed), else its only
//                                                  supported profile, else refused
//                                                  (ambiguous_profile: use per-profile classes)
//   any other class                             -> not a vGPU
// Allocations on providers that are not managed GPUs are plain Placement: no rule applies.
//
// Where the vGPUs go: the consumer's existing vGPUs that the claim still allocates (same GPU,
// same profile, up to the new count) keep their starts; only the difference is placed, with
// placement_rules::fit on the GPU without the claimed consumers' other vGPUs. A re-PUT of the
// same allocation thus changes nothing; moving to another GPU frees the old one.
//
// Host state: a draining host takes no new vGPUs; a standby one neither unless the
// configuration allows waking standby hosts (wake_standby_hosts: the candidates offered it).
// vGPUs a consumer already holds there may stay.
//
// Seats: the consumer's vGPUs per edition after the claim decide what it holds (licence_pool.hpp:
// per VM or per vGPU, B may borrow vWS when configured), decided against the pools with the
// claimed consumers' current seats given back; seat_changes are the per-edition differences
// with what it held, which the store applies with a conditional update in the same transaction.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/allocation/claim.hpp"
#include "scheduler/model/change_set.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::vgpu {

// Rules a claim can break besides placement_rules' (equal_size, mixed_size, mig,
// unsupported_profile, mode). Stable strings, the same as the search's explain output.
namespace claim_rule {
inline constexpr std::string_view kAmbiguousProfile = "ambiguous_profile";
inline constexpr std::string_view kLicence = "licence";
inline constexpr std::string_view kHostState = "host_state";
}  // namespace claim_rule

struct ClaimRefusal {
  std::string rule;      // a placement_rules rule or a claim_rule
  Uuid provider;         // the managed GPU's provider
  // "vGPU rule equal_size on resource provider <uuid> (GPU 0000:84:00.0 of host h1): GPU hosts
  //  A40-8Q; equal-size mode allows one profile per GPU (requested A40-4Q)"
  std::string detail;
};

// What one claimed consumer will hold once the claim commits.
struct ConsumerVgpus {
  Uuid consumer;
  std::vector<VgpuAssignment> vgpus;     // on managed GPUs, sorted by (gpu, start)
  std::vector<SeatHold> seats;           // one entry per edition with seats > 0, edition order
  std::vector<SeatChange> seat_changes;  // per edition: seats - what it held; non-zero only
};

struct ClaimOutcome {
  std::optional<ClaimRefusal> refusal;
  std::vector<ConsumerVgpus> consumers;  // in claim order; empty when refused
  bool ok() const { return !refusal; }
};

// Decides the claim against one snapshot. `use_reserve`: the claim may take the pools'
// reserved seats (an administrator's). Consumers must be unique in `claims`.
ClaimOutcome check_vgpu_claims(const State& state, const VgpuConfig& config,
                               const std::vector<allocation::ConsumerClaim>& claims,
                               bool use_reserve = false);

// Whether the claim has anything to do with the vGPU layer: an allocation on a managed GPU, or
// a claimed consumer that holds vGPUs or seats now. When not, check_vgpu_claims has nothing to
// decide and the ChangeSet can stay as it is.
bool touches_vgpu_layer(const State& state,
                        const std::vector<allocation::ConsumerClaim>& claims);

// Writes an accepted outcome into the ChangeSet claim_changes() made: each PutConsumer gets its
// vgpus, seats and seat_changes, each DeleteConsumer its seat_changes (seats given back).
void fill_vgpu_changes(const ClaimOutcome& outcome, ChangeSet& changes);

// The seat changes that give back everything a consumer holds (DELETE /allocations/{c}).
std::vector<SeatChange> release_seat_changes(const Consumer& consumer);

}  // namespace vgpu::scheduler::vgpu
