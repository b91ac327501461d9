#include "scheduler/sim/fractional_mode.hpp"

#include <algorithm>
#include <cctype>

namespace vgpu::scheduler::sim {

std::string model_trait_name(std::string_view model) {
  std::string out = "CUSTOM_GPU_MODEL_";
  for (char c : model) {
    const auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += (std::isalnum(static_cast<unsigned char>(u)) ? u : '_');
  }
  return out;
}

SimCluster FractionalMode::build(const ClusterSpec& spec) const {
  SimCluster cluster(spec);
  const ClassId milli = cluster.add_class(std::string(kGpuMilliClass));
  FlatMap<ClassId, Inventory> gpu;
  gpu[milli] = Inventory{kMilliPerGpu, 0, 1, kMilliPerGpu, 1, 1.0};
  // Hosts in name order: root ids follow it, and equal policy scores go to the lower root id,
  // as the FGD authors' scheduler takes the smallest node name among equal scores.
  std::vector<std::size_t> order(spec.hosts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&spec](std::size_t a, std::size_t b) {
    return spec.hosts[a].name < spec.hosts[b].name;
  });
  for (std::size_t i : order) {
    const HostSpec& h = spec.hosts[i];
    std::vector<TraitId> traits;
    if (h.gpus > 0) traits.push_back(cluster.add_trait(model_trait_name(h.model)));
    cluster.add_host(i, std::vector<FlatMap<ClassId, Inventory>>(static_cast<std::size_t>(h.gpus), gpu),
                     traits);
  }
  cluster.finish();
  return cluster;
}

NodeModel FractionalMode::node_model(const SimCluster& cluster) const {
  NodeModel m;
  m.cpu = cluster.vcpu();
  m.gpu_share = cluster.class_id(kGpuMilliClass).value_or(0);
  m.units_per_gpu = kMilliPerGpu;
  for (const HostSpec& h : cluster.spec().hosts)
    if (h.gpus > 0)
      if (auto t = cluster.trait_id(model_trait_name(h.model)))
        if (std::find(m.model_traits.begin(), m.model_traits.end(), *t) == m.model_traits.end())
          m.model_traits.push_back(*t);
  return m;
}

std::optional<TraitId> FractionalMode::model_trait(const SimCluster& cluster,
                                                   std::string_view model) const {
  return cluster.trait_id(model_trait_name(model));
}

std::optional<search::SearchRequest> FractionalMode::search_request(const SimCluster& cluster,
                                                                    const RequestSpec& r) const {
  search::SearchRequest req;
  req.limit = 1;
  search::GroupRequest unnumbered;
  if (r.cpu_milli > 0) unnumbered.resources.push_back({cluster.vcpu(), r.cpu_milli});
  if (r.memory_mib > 0) unnumbered.resources.push_back({cluster.memory(), r.memory_mib});
  std::sort(unnumbered.resources.begin(), unnumbered.resources.end(),
            [](const auto& a, const auto& b) { return a.resource_class < b.resource_class; });
  if (!unnumbered.resources.empty()) req.groups.push_back(std::move(unnumbered));
  if (r.num_gpu > 0) {
    const auto milli = cluster.class_id(kGpuMilliClass);
    if (!milli || r.gpu_milli <= 0 || r.gpu_milli > kMilliPerGpu) return std::nullopt;
    std::vector<TraitId> models;
    for (const std::string& m : r.gpu_spec)
      if (auto t = model_trait(cluster, m)) models.push_back(*t);
    if (!r.gpu_spec.empty() && models.empty()) return std::nullopt;  // no host has the model
    const std::int64_t each = r.num_gpu == 1 ? r.gpu_milli : kMilliPerGpu;
    for (int g = 1; g <= r.num_gpu; ++g) {
      search::GroupRequest gpu;
      gpu.suffix = std::to_string(g);
      gpu.same_provider = true;
      gpu.resources.push_back({*milli, each});
      if (!models.empty()) gpu.traits.required_any.push_back(models);
      req.groups.push_back(std::move(gpu));
    }
    req.isolate = r.num_gpu > 1;
  }
  if (req.groups.empty()) return std::nullopt;
  return req;
}

}  // namespace vgpu::scheduler::sim
