#pragma once
// A small state for the allocation rule tests: two providers with VCPU and DISK_GB inventory.
#include "scheduler/allocation/claim.hpp"
#include "scheduler/model/state.hpp"

namespace vgpu::scheduler::test {

inline constexpr ClassId kVcpu = 0;
inline constexpr ClassId kDisk = 2;
inline constexpr ProviderId kHost = 1;
inline constexpr ProviderId kStorage = 2;

inline Uuid uuid_of(int n) {
  Uuid u;
  u.bytes[15] = static_cast<std::uint8_t>(n);
  u.bytes[6] = 0x40;
  return u;
}

// Host: 8 VCPU (ratio 2 -> capacity 16, max_unit 4). Storage: 100 DISK_GB, 10 reserved,
// min_unit 10, step 10.
inline State allocation_state() {
  State s;
  s.load_class(kVcpu, "VCPU");
  s.load_class(kDisk, "DISK_GB");
  Provider host;
  host.id = kHost;
  host.uuid = uuid_of(101);
  host.name = "host";
  host.inventories[kVcpu] = Inventory{8, 0, 1, 4, 1, 2.0};
  Provider storage;
  storage.id = kStorage;
  storage.uuid = uuid_of(102);
  storage.name = "storage";
  storage.inventories[kDisk] = Inventory{100, 10, 10, 100, 10, 1.0};
  s.load_provider(host);
  s.load_provider(storage);
  s.link_trees();
  return s;
}

inline allocation::ConsumerClaim claim(int consumer, std::vector<Allocation> allocations) {
  return {uuid_of(consumer), std::move(allocations), "project", "user", ""};
}

}  // namespace vgpu::scheduler::test
