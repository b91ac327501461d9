#include "scheduler/vgpu/licence_pool.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace vgpu::scheduler::vgpu {
namespace {

std::size_t index_of(Edition e) { return static_cast<std::size_t>(e); }

// New seats the demand needs from `edition`'s pool (0 when the consumer already holds one).
std::int64_t seats_needed(const SeatDemand& d, const LicenceConfig& config, Edition edition) {
  if (d.vgpus <= 0) return 0;
  if (config.unit == SeatUnit::per_vgpu) return d.vgpus;
  return d.held[index_of(edition)] ? 0 : 1;
}

// "licence pool vpc: 10 of 10 seats in use (reserve 0)"
std::string describe(Edition e, const LicencePool& pool) {
  std::string s = "licence pool ";
  s += to_string(e);
  s += ": ";
  if (!pool.total) return s + "unlimited, " + std::to_string(pool.used) + " seats in use";
  return s + std::to_string(pool.used) + " of " + std::to_string(*pool.total) +
         " seats in use (reserve " + std::to_string(pool.reserve) + ")";
}

bool can_take(const LicencePool& pool, std::int64_t seats, bool use_reserve) {
  const std::optional<std::int64_t> free = free_seats(pool, use_reserve);
  return !free || seats <= *free;
}

SeatGrant granted(Edition e, const LicencePool& pool, std::int64_t seats) {
  std::string detail = describe(e, pool);
  detail += seats == 0 ? ", seat already held by this consumer"
                       : ", " + std::to_string(seats) + " granted";
  return {true, e, seats, std::move(detail)};
}

}  // namespace

std::string_view to_string(SeatUnit u) { return u == SeatUnit::per_vm ? "per_vm" : "per_vgpu"; }

std::optional<SeatUnit> seat_unit_from_string(std::string_view s) {
  if (s == "per_vm") return SeatUnit::per_vm;
  if (s == "per_vgpu") return SeatUnit::per_vgpu;
  return std::nullopt;
}

std::optional<std::int64_t> free_seats(const LicencePool& pool, bool use_reserve) {
  if (!pool.total) return std::nullopt;
  const std::int64_t limit = *pool.total - (use_reserve ? 0 : pool.reserve);
  return std::max<std::int64_t>(0, limit - pool.used);
}

SeatGrant grant_seats(const LicencePools& pools, const LicenceConfig& config, const SeatDemand& d) {
  const Edition own = d.edition;
  const bool may_borrow = own == Edition::vpc && config.b_series_borrows_vws;
  if (d.vgpus <= 0) {
    return {true, own, 0, "no vGPU of edition " + std::string(to_string(own)) + ", no seat"};
  }
  const std::int64_t own_seats = seats_needed(d, config, own);
  if (own_seats == 0) return granted(own, pools[own], 0);
  // A vWS seat this VM already holds satisfies B: no new seat from either pool.
  if (may_borrow && seats_needed(d, config, Edition::rtx_vws) == 0) {
    return granted(Edition::rtx_vws, pools[Edition::rtx_vws], 0);
  }
  if (can_take(pools[own], own_seats, d.use_reserve)) return granted(own, pools[own], own_seats);

  std::string refusal = describe(own, pools[own]) + ", request needs " + std::to_string(own_seats);
  if (may_borrow) {
    const LicencePool& vws = pools[Edition::rtx_vws];
    const std::int64_t vws_seats = seats_needed(d, config, Edition::rtx_vws);
    if (can_take(vws, vws_seats, d.use_reserve)) {
      SeatGrant g = granted(Edition::rtx_vws, vws, vws_seats);
      g.detail += " (borrowed for B series: " + refusal + ")";
      return g;
    }
    refusal += "; B series may borrow from " + describe(Edition::rtx_vws, vws) +
               ", request needs " + std::to_string(vws_seats);
  }
  return {false, own, 0, std::move(refusal)};
}

LicencePools take_seats(LicencePools pools, const SeatGrant& g) {
  if (g.ok) pools[g.charged].used += g.seats;
  return pools;
}

LicencePools release_seats(LicencePools pools, const SeatGrant& g) {
  if (g.ok) {
    std::int64_t& used = pools[g.charged].used;
    used = std::max<std::int64_t>(0, used - g.seats);
  }
  return pools;
}

std::array<std::int64_t, kEditionCount> count_seats(std::span<const SeatHolding> holdings,
                                                    SeatUnit unit) {
  std::array<std::int64_t, kEditionCount> used{};
  std::set<std::pair<ConsumerId, std::size_t>> seen;  // per_vm: one seat per (consumer, edition)
  for (const SeatHolding& h : holdings) {
    if (h.vgpus <= 0) continue;
    const std::size_t e = index_of(h.charged);
    if (unit == SeatUnit::per_vgpu) {
      used[e] += h.vgpus;
    } else if (seen.emplace(h.consumer, e).second) {
      used[e] += 1;
    }
  }
  return used;
}

LicencePools recount(LicencePools pools, std::span<const SeatHolding> holdings, SeatUnit unit) {
  const auto used = count_seats(holdings, unit);
  for (std::size_t e = 0; e < pools.pools.size(); ++e) pools.pools[e].used = used[e];
  return pools;
}

std::optional<std::string> validate(const LicencePools& pools) {
  for (std::size_t i = 0; i < pools.pools.size(); ++i) {
    const LicencePool& p = pools.pools[i];
    const std::string name(to_string(static_cast<Edition>(i)));
    if (p.total && *p.total < 0) {
      return "licence pool " + name + ": total must be >= 0 (got " + std::to_string(*p.total) + ")";
    }
    if (p.reserve < 0) {
      return "licence pool " + name + ": reserve must be >= 0 (got " + std::to_string(p.reserve) +
             ")";
    }
    if (p.total && p.reserve > *p.total) {
      return "licence pool " + name + ": reserve " + std::to_string(p.reserve) +
             " is above the total " + std::to_string(*p.total);
    }
  }
  return std::nullopt;
}

}  // namespace vgpu::scheduler::vgpu
