#include <catch2/catch.hpp>

#include <vector>

#include "scheduler/vgpu/licence_pool.hpp"

using namespace vgpu::scheduler::vgpu;

namespace {

constexpr Edition kVws = Edition::rtx_vws;
constexpr Edition kVpc = Edition::vpc;
constexpr Edition kVapps = Edition::vapps;

// Pools built one edition at a time; editions not named are unlimited and empty.
class Pools {
 public:
  Pools& pool(Edition e, std::int64_t used, std::int64_t total, std::int64_t reserve = 0) {
    pools_[e] = {total, reserve, used};
    return *this;
  }
  Pools& unlimited(Edition e, std::int64_t used) {
    pools_[e] = {std::nullopt, 0, used};
    return *this;
  }
  operator LicencePools() const { return pools_; }

 private:
  LicencePools pools_;
};

constexpr LicenceConfig kPerVm{SeatUnit::per_vm, false};
constexpr LicenceConfig kPerVgpu{SeatUnit::per_vgpu, false};
constexpr LicenceConfig kPerVmBorrow{SeatUnit::per_vm, true};
constexpr LicenceConfig kPerVgpuBorrow{SeatUnit::per_vgpu, true};

SeatDemand demand(Edition e, std::int64_t vgpus = 1) { return {e, vgpus, {}, false}; }
SeatDemand holding(Edition e, Edition held, std::int64_t vgpus = 1) {
  SeatDemand d = demand(e, vgpus);
  d.held[static_cast<std::size_t>(held)] = true;
  return d;
}
SeatDemand admin(Edition e) {
  SeatDemand d = demand(e);
  d.use_reserve = true;
  return d;
}

}  // namespace

TEST_CASE("seat grants: unit, borrowing, reserve, unlimited pools", "[vgpu]") {
  struct Case {
    const char* name;
    LicencePools pools;
    LicenceConfig config;
    SeatDemand demand;
    bool ok;
    Edition charged;
    std::int64_t seats;
  };
  const Case cases[] = {
      // Counting unit.
      {"per VM: a 2-vGPU VM takes one seat (3 + 1 <= 10)",
       Pools().pool(kVpc, 3, 10), kPerVm, demand(kVpc, 2), true, kVpc, 1},
      {"per vGPU: a 2-vGPU VM takes two seats (3 + 2 <= 10)",
       Pools().pool(kVpc, 3, 10), kPerVgpu, demand(kVpc, 2), true, kVpc, 2},
      {"per vGPU: 8 + 3 > 10 is refused",
       Pools().pool(kVpc, 8, 10), kPerVgpu, demand(kVpc, 3), false, kVpc, 0},
      {"per VM: a VM holding a vPC seat needs none, even from a full pool (10 of 10)",
       Pools().pool(kVpc, 10, 10), kPerVm, holding(kVpc, kVpc), true, kVpc, 0},
      {"per vGPU: holding a seat does not matter, each vGPU needs one (10 + 1 > 10)",
       Pools().pool(kVpc, 10, 10), kPerVgpu, holding(kVpc, kVpc), false, kVpc, 0},
      {"no vGPU, no seat", Pools().pool(kVpc, 10, 10), kPerVm, demand(kVpc, 0), true, kVpc, 0},
      // B borrows vWS: only when configured and only when vPC cannot grant.
      {"vPC exhausted (10 + 1 > 10), no borrowing: refused",
       Pools().pool(kVpc, 10, 10).pool(kVws, 0, 5), kPerVm, demand(kVpc), false, kVpc, 0},
      {"vPC exhausted, borrowing: one vWS seat (4 + 1 <= 5)",
       Pools().pool(kVpc, 10, 10).pool(kVws, 4, 5), kPerVmBorrow, demand(kVpc), true, kVws, 1},
      {"vPC has a seat (9 + 1 <= 10): no borrowing even though configured",
       Pools().pool(kVpc, 9, 10).pool(kVws, 0, 5), kPerVmBorrow, demand(kVpc), true, kVpc, 1},
      {"per vGPU: vPC 9 + 2 > 10, vWS 3 + 2 <= 5: two vWS seats",
       Pools().pool(kVpc, 9, 10).pool(kVws, 3, 5), kPerVgpuBorrow, demand(kVpc, 2), true, kVws, 2},
      {"both exhausted (10 of 10, 5 of 5): refused",
       Pools().pool(kVpc, 10, 10).pool(kVws, 5, 5), kPerVmBorrow, demand(kVpc), false, kVpc, 0},
      {"Q never borrows vPC (vWS 5 of 5, vPC empty)",
       Pools().pool(kVws, 5, 5).pool(kVpc, 0, 10), kPerVmBorrow, demand(kVws), false, kVws, 0},
      {"per VM, borrowing: a held vWS seat covers B, vPC untouched",
       Pools().pool(kVpc, 10, 10).pool(kVws, 5, 5), kPerVmBorrow, holding(kVpc, kVws), true, kVws, 0},
      {"per VM, no borrowing: a held vWS seat does not cover B",
       Pools().pool(kVpc, 10, 10).pool(kVws, 5, 5), kPerVm, holding(kVpc, kVws), false, kVpc, 0},
      // Reserve: a normal demand needs used + seats <= total - reserve.
      {"reserve 2: 7 + 1 <= 10 - 2", Pools().pool(kVpc, 7, 10, 2), kPerVm, demand(kVpc), true, kVpc, 1},
      {"reserve 2: 8 + 1 > 10 - 2", Pools().pool(kVpc, 8, 10, 2), kPerVm, demand(kVpc), false, kVpc, 0},
      {"reserve 2, admin may use it: 8 + 1 <= 10", Pools().pool(kVpc, 8, 10, 2), kPerVm, admin(kVpc),
       true, kVpc, 1},
      {"admin still stops at the total: 10 + 1 > 10", Pools().pool(kVpc, 10, 10, 2), kPerVm,
       admin(kVpc), false, kVpc, 0},
      // Unlimited.
      {"no total configured: unlimited", Pools().unlimited(kVapps, 1000), kPerVgpu,
       demand(kVapps, 4), true, kVapps, 4},
      {"total 0: no seat at all", Pools().pool(kVapps, 0, 0), kPerVm, demand(kVapps), false, kVapps, 0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const SeatGrant g = grant_seats(c.pools, c.config, c.demand);
    INFO(g.detail);
    CHECK(g.ok == c.ok);
    CHECK(g.charged == c.charged);
    CHECK(g.seats == c.seats);
  }
}

TEST_CASE("seat refusals name the pool and its numbers", "[vgpu]") {
  CHECK(grant_seats(Pools().pool(kVpc, 10, 10), kPerVm, demand(kVpc)).detail ==
        "licence pool vpc: 10 of 10 seats in use (reserve 0), request needs 1");
  CHECK(grant_seats(Pools().pool(kVpc, 8, 10, 2), kPerVgpu, demand(kVpc, 3)).detail ==
        "licence pool vpc: 8 of 10 seats in use (reserve 2), request needs 3");
  CHECK(grant_seats(Pools().pool(kVpc, 10, 10).pool(kVws, 5, 5), kPerVmBorrow, demand(kVpc)).detail ==
        "licence pool vpc: 10 of 10 seats in use (reserve 0), request needs 1; "
        "B series may borrow from licence pool rtx_vws: 5 of 5 seats in use (reserve 0), "
        "request needs 1");
  // Grants say how they were made, for explain output.
  CHECK(grant_seats(Pools().pool(kVpc, 10, 10).pool(kVws, 4, 5), kPerVmBorrow, demand(kVpc)).detail ==
        "licence pool rtx_vws: 4 of 5 seats in use (reserve 0), 1 granted (borrowed for B series: "
        "licence pool vpc: 10 of 10 seats in use (reserve 0), request needs 1)");
  CHECK(grant_seats(Pools().unlimited(kVapps, 7), kPerVm, demand(kVapps)).detail ==
        "licence pool vapps: unlimited, 7 seats in use, 1 granted");
  CHECK(grant_seats(Pools().pool(kVpc, 10, 10), kPerVm, holding(kVpc, kVpc)).detail ==
        "licence pool vpc: 10 of 10 seats in use (reserve 0), seat already held by this consumer");
  CHECK(grant_seats(Pools().pool(kVpc, 10, 10), kPerVm, demand(kVpc, 0)).detail ==
        "no vGPU of edition vpc, no seat");
}

TEST_CASE("free seats, taking and releasing a grant", "[vgpu]") {
  CHECK(free_seats({10, 2, 5}) == 3);        // 10 - 2 - 5
  CHECK(free_seats({10, 2, 5}, true) == 5);  // 10 - 5
  CHECK(free_seats({10, 2, 9}) == 0);        // into the reserve: none, not -1
  CHECK_FALSE(free_seats({std::nullopt, 0, 5}).has_value());

  const LicencePools before = Pools().pool(kVpc, 9, 10).pool(kVws, 3, 5);
  const SeatGrant borrowed = grant_seats(before, kPerVgpuBorrow, demand(kVpc, 2));
  REQUIRE(borrowed.ok);
  const LicencePools taken = take_seats(before, borrowed);
  CHECK(taken[kVws].used == 5);  // 3 + 2, charged to vWS
  CHECK(taken[kVpc].used == 9);
  const LicencePools released = release_seats(taken, borrowed);
  CHECK(released[kVws].used == 3);  // back where the seats came from

  const SeatGrant refused = grant_seats(Pools().pool(kVpc, 10, 10), kPerVm, demand(kVpc));
  CHECK(take_seats(before, refused)[kVpc].used == 9);  // a refusal takes nothing
  CHECK(release_seats(Pools().pool(kVws, 1, 5), borrowed)[kVws].used == 0);  // 1 - 2, floored
}

TEST_CASE("seats recounted from persisted holdings", "[vgpu]") {
  const std::vector<SeatHolding> holdings = {
      {1, kVpc, 2},    // VM 1: two B vGPUs
      {1, kVpc, 1},    // VM 1 again (another request group): still one seat per VM
      {2, kVws, 1},    // VM 2: a B vGPU that borrowed vWS
      {3, kVws, 4},    // VM 3: four Q vGPUs
      {4, kVapps, 0},  // a holding with no vGPU left counts nothing
  };
  struct Case { SeatUnit unit; std::int64_t vws, vpc, vapps; };
  const Case cases[] = {
      {SeatUnit::per_vm, 2, 1, 0},    // VMs 2, 3 | VM 1 | -
      {SeatUnit::per_vgpu, 5, 3, 0},  // 1 + 4 | 2 + 1 | 0
  };
  for (const Case& c : cases) {
    INFO(to_string(c.unit));
    const auto used = count_seats(holdings, c.unit);
    CHECK(used[static_cast<std::size_t>(kVws)] == c.vws);
    CHECK(used[static_cast<std::size_t>(kVpc)] == c.vpc);
    CHECK(used[static_cast<std::size_t>(kVapps)] == c.vapps);
  }
  const LicencePools pools = recount(Pools().pool(kVpc, 99, 10, 1).pool(kVws, 0, 5), holdings,
                                     SeatUnit::per_vm);
  CHECK(pools[kVpc].used == 1);
  CHECK(pools[kVpc].total == 10);  // configuration kept
  CHECK(pools[kVpc].reserve == 1);
  CHECK(pools[kVws].used == 2);
}

TEST_CASE("licence configuration: units by name, pools validated", "[vgpu]") {
  CHECK(seat_unit_from_string("per_vm") == SeatUnit::per_vm);
  CHECK(seat_unit_from_string(to_string(SeatUnit::per_vgpu)) == SeatUnit::per_vgpu);
  CHECK_FALSE(seat_unit_from_string("per_host").has_value());

  CHECK_FALSE(validate(Pools().pool(kVpc, 0, 10, 10).unlimited(kVws, 0)).has_value());
  CHECK(validate(Pools().pool(kVpc, 0, 10, 11)) ==
        std::optional<std::string>("licence pool vpc: reserve 11 is above the total 10"));
  CHECK(validate(Pools().pool(kVapps, 0, -1)) ==
        std::optional<std::string>("licence pool vapps: total must be >= 0 (got -1)"));
  CHECK(validate(Pools().pool(kVws, 0, 5, -2)) ==
        std::optional<std::string>("licence pool rtx_vws: reserve must be >= 0 (got -2)"));
}
