// Generated from the Debian package python3-os-resource-classes 1.1.0 by scripts/generate-standard-names.py.
// Do not edit by hand: tests/unit/standard_names_test compares it with the package.
#include "scheduler/names/standard_names.hpp"

namespace vgpu::scheduler {

const std::vector<std::string_view>& standard_resource_classes() {
  static const std::vector<std::string_view> kNames = {
      "VCPU",
      "MEMORY_MB",
      "DISK_GB",
      "PCI_DEVICE",
      "SRIOV_NET_VF",
      "NUMA_SOCKET",
      "NUMA_CORE",
      "NUMA_THREAD",
      "NUMA_MEMORY_MB",
      "IPV4_ADDRESS",
      "VGPU",
      "VGPU_DISPLAY_HEAD",
      "NET_BW_EGR_KILOBIT_PER_SEC",
      "NET_BW_IGR_KILOBIT_PER_SEC",
      "PCPU",
      "MEM_ENCRYPTION_CONTEXT",
      "FPGA",
      "PGPU",
      "NET_PACKET_RATE_KILOPACKET_PER_SEC",
      "NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC",
      "NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC",
  };
  return kNames;
}

}  // namespace vgpu::scheduler
