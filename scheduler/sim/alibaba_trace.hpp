#pragma once
// The Alibaba GPU cluster trace v2023 ("openb", the FGD paper's data; see
// ../shared/traces/alibaba-gpu-v2023/README.md for the columns):
// - node list: sn, cpu_milli, memory_mib, gpu, model
// - pod list: name, cpu_milli, memory_mib, num_gpu, gpu_milli and, when present, gpu_spec
//   ('|'-separated models), creation_time, deletion_time (the multigpu files have only the
//   first five columns).
// `source` names the input in errors ("openb_pod_list_default.csv:12: ...").
#include <istream>
#include <string>

#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

ClusterSpec read_alibaba_nodes(std::istream& in, const std::string& source);
Workload read_alibaba_pods(std::istream& in, const std::string& source);

}  // namespace vgpu::scheduler::sim
