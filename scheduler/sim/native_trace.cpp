#include "scheduler/sim/native_trace.hpp"

#include "scheduler/sim/csv_table.hpp"

namespace vgpu::scheduler::sim {
namespace {

constexpr std::int64_t kMaxMilli = std::int64_t{1} << 40;
constexpr int kMaxGpus = 64;

}  // namespace

ClusterSpec read_native_hosts(std::istream& in, const std::string& source) {
  CsvTable t(in, source);
  const std::size_t name = t.required("name"), cpu = t.required("cpu_milli"),
                    mem = t.required("memory_mib"), gpus = t.required("gpus");
  const auto model = t.column("model");
  ClusterSpec out;
  while (t.next()) {
    HostSpec h;
    h.name = std::string(t.field(name));
    if (h.name.empty()) t.fail("column 'name' is empty");
    h.cpu_milli = t.integer(cpu, 0, kMaxMilli);
    h.memory_mib = t.integer(mem, 0, kMaxMilli);
    h.gpus = static_cast<int>(t.integer(gpus, 0, kMaxGpus));
    h.model = std::string(t.field(model));
    if (h.gpus > 0 && h.model.empty()) t.fail("a host with GPUs needs a 'model'");
    out.hosts.push_back(std::move(h));
  }
  return out;
}

Workload read_native_requests(std::istream& in, const std::string& source) {
  CsvTable t(in, source);
  const std::size_t name = t.required("name"), cpu = t.required("cpu_milli"),
                    mem = t.required("memory_mib"), num_gpu = t.required("num_gpu");
  const auto gpu_milli = t.column("gpu_milli"), profile = t.column("profile"),
             arrival = t.column("arrival"), departure = t.column("departure"),
             spec = t.column("gpu_spec");
  if (!gpu_milli && !profile) t.required("gpu_milli");  // names the missing column
  Workload out;
  while (t.next()) {
    RequestSpec r;
    r.name = std::string(t.field(name));
    if (r.name.empty()) t.fail("column 'name' is empty");
    r.cpu_milli = t.integer(cpu, 0, kMaxMilli);
    r.memory_mib = t.integer(mem, 0, kMaxMilli);
    r.num_gpu = static_cast<int>(t.integer(num_gpu, 0, kMaxGpus));
    r.profile = std::string(t.field(profile));
    r.gpu_milli = t.integer_or(gpu_milli, 0, 0, 1000);
    if (r.num_gpu > 0 && r.gpu_milli == 0 && r.profile.empty())
      t.fail("num_gpu > 0 needs gpu_milli (1..1000) or a profile");
    if (r.num_gpu == 0 && (r.gpu_milli != 0 || !r.profile.empty()))
      t.fail("gpu_milli or profile given with num_gpu 0");
    if (r.num_gpu > 1 && r.gpu_milli != 0 && r.gpu_milli != 1000)
      t.fail("a request for several GPUs takes whole ones (gpu_milli 1000)");
    std::string_view models = t.field(spec);
    while (!models.empty()) {
      const std::size_t bar = models.find('|');
      if (std::string_view m = models.substr(0, bar); !m.empty()) r.gpu_spec.emplace_back(m);
      if (bar == std::string_view::npos) break;
      models.remove_prefix(bar + 1);
    }
    r.arrival = t.optional_number(arrival).value_or(0.0);
    r.departure = t.optional_number(departure);
    if (r.departure && *r.departure < r.arrival) t.fail("departure before arrival");
    out.requests.push_back(std::move(r));
  }
  return out;
}

}  // namespace vgpu::scheduler::sim
