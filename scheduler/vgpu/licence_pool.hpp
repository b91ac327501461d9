#pragma once
// NVIDIA licence seats as an admission check (domain/vgpu.md §4): one pool of concurrent seats
// per edition, charged when a vGPU is claimed, given back when it goes. Only arithmetic lives
// here; the store persists every grant (consumer, edition charged, seats) and recounts from them.
//
// Semantics chosen:
// - A pool without a configured total is unlimited: every demand is granted, usage is still
//   counted (for the seats_used metric).
// - Counting unit, per site entitlement: `per_vm` charges one seat per consumer and edition,
//   however many vGPUs it has; `per_vgpu` charges one seat per vGPU.
// - Reserve: the last `reserve` seats of a pool are held back; a normal demand is refused if it
//   would dig into them, a demand with `use_reserve` (an operator's or admin's claim) may take
//   them. So a normal demand is granted when used + seats <= total - reserve.
// - B series (vPC) may borrow an RTX vWS seat, because a vWS licence also satisfies B, but only
//   when configured (`b_series_borrows_vws`) and only once the vPC pool cannot grant the demand.
//   The grant then says vWS was charged, so the release gives the seat back to vWS.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "scheduler/model/ids.hpp"
#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::vgpu {

enum class SeatUnit : std::uint8_t { per_vm, per_vgpu };
std::string_view to_string(SeatUnit);  // "per_vm", "per_vgpu"
std::optional<SeatUnit> seat_unit_from_string(std::string_view);

struct LicencePool {
  std::optional<std::int64_t> total;  // nullopt: unlimited (no pool configured)
  std::int64_t reserve = 0;           // seats only a `use_reserve` demand may take
  std::int64_t used = 0;
};

// One pool per edition, indexed by Edition.
struct LicencePools {
  std::array<LicencePool, kEditionCount> pools{};

  LicencePool& operator[](Edition e) { return pools[static_cast<std::size_t>(e)]; }
  const LicencePool& operator[](Edition e) const { return pools[static_cast<std::size_t>(e)]; }
};

struct LicenceConfig {
  SeatUnit unit = SeatUnit::per_vm;
  bool b_series_borrows_vws = false;
};

// Editions a consumer already holds a seat of (per_vm counting only: a second vGPU of the same
// VM then needs no new seat).
using HeldEditions = std::array<bool, kEditionCount>;

struct SeatDemand {
  Edition edition = Edition::rtx_vws;  // the edition of the requested profile's series
  std::int64_t vgpus = 1;              // vGPUs of that edition in this consumer's request
  HeldEditions held{};                 // per_vm: seats the consumer already holds
  bool use_reserve = false;            // may take the reserved seats (admin)
};

struct SeatGrant {
  bool ok = false;
  Edition charged = Edition::rtx_vws;  // the pool the seats come from (vWS when B borrowed)
  std::int64_t seats = 0;              // new seats taken from `charged` (0: already held)
  std::string detail;                  // why refused, or how granted (for explain and logs)
};

// Decides one demand against the pools. Does not change them: apply the grant with take_seats.
// per_vm: a consumer that already holds a seat of the demanded edition needs none (nor, for B
// when borrowing is configured, if it holds a vWS seat); otherwise it needs one.
// per_vgpu: it needs `vgpus` seats.
// Refusal detail names the pool and its numbers, e.g.
//   "licence pool vpc: 10 of 10 seats in use (reserve 0), request needs 1".
SeatGrant grant_seats(const LicencePools&, const LicenceConfig&, const SeatDemand&);

// Seats a pool could still grant to a normal demand (or, with use_reserve, to an admin one);
// nullopt when unlimited. Never negative.
std::optional<std::int64_t> free_seats(const LicencePool&, bool use_reserve = false);

// Pools after taking / giving back a grant's seats. Release never goes below zero.
LicencePools take_seats(LicencePools, const SeatGrant&);
LicencePools release_seats(LicencePools, const SeatGrant&);

// One persisted grant: what a consumer holds.
struct SeatHolding {
  ConsumerId consumer = 0;
  Edition charged = Edition::rtx_vws;
  std::int64_t vgpus = 0;
};

// Seats in use per edition from the persisted holdings: per_vm counts each (consumer, edition)
// once whatever its vGPU count, per_vgpu sums the vGPUs. Holdings with no vGPU count nothing.
std::array<std::int64_t, kEditionCount> count_seats(std::span<const SeatHolding>, SeatUnit);

// The pools with `used` replaced by count_seats (totals and reserves kept). The store calls it
// after loading, and before re-deciding a consumer whose allocations are being replaced (with
// that consumer's holdings left out, so its old seats are not counted twice).
LicencePools recount(LicencePools, std::span<const SeatHolding>, SeatUnit);

// Configuration check: totals and reserves non-negative, reserve not above total.
// Returns a message naming the edition, or nullopt when valid.
std::optional<std::string> validate(const LicencePools&);

}  // namespace vgpu::scheduler::vgpu
