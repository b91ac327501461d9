#pragma once
// What the simulator replays, independent of where it came from (the Alibaba trace v2023 or our
// native CSV): the hosts of a cluster and the requests that arrive at it. Plain data; the
// readers (alibaba_trace.hpp, native_trace.hpp) fill it from a std::istream, the service opens
// the files.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vgpu::scheduler::sim {

struct HostSpec {
  std::string name;
  std::int64_t cpu_milli = 0;   // 1000 = one vCPU
  std::int64_t memory_mib = 0;
  int gpus = 0;
  std::string model;            // GPU model or board ("G2", "A40"); empty without GPUs
};

struct ClusterSpec {
  std::vector<HostSpec> hosts;
  int gpu_count() const {
    int n = 0;
    for (const HostSpec& h : hosts) n += h.gpus;
    return n;
  }
};

struct RequestSpec {
  std::string name;
  std::int64_t cpu_milli = 0;
  std::int64_t memory_mib = 0;
  int num_gpu = 0;                  // GPUs asked for
  std::int64_t gpu_milli = 0;       // share of each GPU, 1..1000 (1000 = whole GPUs)
  std::vector<std::string> gpu_spec;  // acceptable GPU models; empty: any
  std::string profile;              // vGPU profile asked for (vGPU mode); empty: by gpu_milli
  double arrival = 0;               // seconds from the start of the trace
  std::optional<double> departure;  // nullopt: never departs

  // GPU demand in thousandths of a GPU (num_gpu x gpu_milli).
  std::int64_t gpu_demand_milli() const { return gpu_milli * num_gpu; }
};

struct Workload {
  std::vector<RequestSpec> requests;
};

// A malformed input: the message names the source and line ("nodes.csv:12: ...").
class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace vgpu::scheduler::sim
