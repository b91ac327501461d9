#include "scheduler/sim/alibaba_trace.hpp"

#include "scheduler/sim/csv_table.hpp"

namespace vgpu::scheduler::sim {
namespace {

constexpr std::int64_t kMaxMilli = std::int64_t{1} << 40;  // far beyond any real host
constexpr int kMaxGpusPerHost = 64;

std::vector<std::string> split_models(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const std::size_t bar = s.find('|');
    std::string_view m = s.substr(0, bar);
    if (!m.empty()) out.emplace_back(m);
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

}  // namespace

ClusterSpec read_alibaba_nodes(std::istream& in, const std::string& source) {
  CsvTable t(in, source);
  const std::size_t sn = t.required("sn"), cpu = t.required("cpu_milli"),
                    mem = t.required("memory_mib"), gpu = t.required("gpu");
  const auto model = t.column("model");
  ClusterSpec out;
  while (t.next()) {
    HostSpec h;
    h.name = std::string(t.field(sn));
    if (h.name.empty()) t.fail("column 'sn' is empty");
    h.cpu_milli = t.integer(cpu, 0, kMaxMilli);
    h.memory_mib = t.integer(mem, 0, kMaxMilli);
    h.gpus = static_cast<int>(t.integer(gpu, 0, kMaxGpusPerHost));
    h.model = std::string(t.field(model));
    if (h.gpus > 0 && h.model.empty()) t.fail("a node with GPUs needs a 'model'");
    out.hosts.push_back(std::move(h));
  }
  return out;
}

Workload read_alibaba_pods(std::istream& in, const std::string& source) {
  CsvTable t(in, source);
  const std::size_t name = t.required("name"), cpu = t.required("cpu_milli"),
                    mem = t.required("memory_mib"), num_gpu = t.required("num_gpu"),
                    gpu_milli = t.required("gpu_milli");
  const auto spec = t.column("gpu_spec"), created = t.column("creation_time"),
             deleted = t.column("deletion_time");
  Workload out;
  while (t.next()) {
    RequestSpec r;
    r.name = std::string(t.field(name));
    if (r.name.empty()) t.fail("column 'name' is empty");
    r.cpu_milli = t.integer(cpu, 0, kMaxMilli);
    r.memory_mib = t.integer(mem, 0, kMaxMilli);
    r.num_gpu = static_cast<int>(t.integer(num_gpu, 0, kMaxGpusPerHost));
    r.gpu_milli = t.integer(gpu_milli, 0, 1000);
    if (r.num_gpu == 0 && r.gpu_milli != 0) t.fail("gpu_milli > 0 with num_gpu 0");
    if (r.num_gpu > 0 && r.gpu_milli == 0) t.fail("num_gpu > 0 with gpu_milli 0");
    if (r.num_gpu > 1 && r.gpu_milli != 1000)
      t.fail("a multi-GPU pod must ask whole GPUs (gpu_milli 1000), got " +
             std::to_string(r.gpu_milli));
    r.gpu_spec = split_models(t.field(spec));
    r.arrival = t.optional_number(created).value_or(0.0);
    r.departure = t.optional_number(deleted);
    out.requests.push_back(std::move(r));
  }
  return out;
}

}  // namespace vgpu::scheduler::sim
