#pragma once
// Our native trace format: two CSV files with a header row (columns by name, any order).
//
// hosts:    name,cpu_milli,memory_mib,gpus,model
//           h1,64000,262144,4,A40
// requests: name,cpu_milli,memory_mib,num_gpu,gpu_milli,profile,arrival,departure[,gpu_spec]
//           vm1,4000,16384,1,250,,0,3600
//           vm2,8000,32768,1,,A40-12Q,10,
//
// - gpu_milli: share of each GPU in thousandths (1..1000; 1000 for whole GPUs; a request for
//   several GPUs takes whole ones). It may be empty when `profile` names a vGPU profile (vGPU
//   mode maps it); at least one of the two is needed when num_gpu > 0.
// - arrival / departure: seconds; an empty departure never departs. gpu_spec: acceptable GPU
//   models, '|'-separated; empty means any.
#include <istream>
#include <string>

#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

ClusterSpec read_native_hosts(std::istream& in, const std::string& source);
Workload read_native_requests(std::istream& in, const std::string& source);

}  // namespace vgpu::scheduler::sim
