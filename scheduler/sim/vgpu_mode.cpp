#include "scheduler/sim/vgpu_mode.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "scheduler/sim/fractional_mode.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "scheduler/vgpu/host_tree.hpp"
#include "scheduler/vgpu/name_resolver.hpp"

namespace vgpu::scheduler::sim {
namespace {

constexpr std::string_view kShareClass = "CUSTOM_GPU_MILLI";

// Uuids of the reported roots and GPUs: deterministic, apart from SimCluster's own (kind 3).
Uuid report_uuid(std::uint64_t n) {
  Uuid u;
  u.bytes[0] = 3;
  for (int i = 0; i < 8; ++i) u.bytes[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  u.bytes[6] = 0x40;
  u.bytes[8] = 0x80;
  return u;
}

std::string pci_address(int gpu) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0000:%02x:00.0", 0x10 + gpu);
  return buf;
}

// The equal-size profiles of `board`'s Q series at 1/8, 1/4, 1/2 and all of its framebuffer.
std::vector<vgpu::ProfileIndex> equal_size_profiles(const vgpu::Catalog& c, vgpu::BoardIndex b) {
  const std::int64_t fb = c.board(b).framebuffer_mb;
  std::vector<vgpu::ProfileIndex> out;
  for (std::int64_t part : {fb / 8, fb / 4, fb / 2, fb}) {
    std::optional<vgpu::ProfileIndex> found;
    for (vgpu::ProfileIndex p : c.profiles_of(b)) {
      const vgpu::Profile& prof = c.profile(p);
      if (!prof.is_mig() && prof.series == vgpu::Series::Q && prof.max_equal_size > 0 &&
          prof.framebuffer_mb == part)
        found = p;
    }
    if (!found)
      throw std::invalid_argument("board " + c.board(b).name + " has no equal-size Q profile of " +
                                  std::to_string(part) + " MB (1/8, 1/4, 1/2, 1 of the GPU)");
    out.push_back(*found);
  }
  return out;
}

// The MIG profiles of 1, 2, 3, 4 and 7 compute slices (the smallest framebuffer of each, no +me).
std::vector<vgpu::ProfileIndex> mig_profiles(const vgpu::Catalog& c, vgpu::BoardIndex b) {
  if (!c.board(b).mig_capable)
    throw std::invalid_argument("board " + c.board(b).name + " has no MIG mode");
  std::vector<vgpu::ProfileIndex> out;
  for (int g : {1, 2, 3, 4, 7}) {
    std::optional<vgpu::ProfileIndex> found;
    for (vgpu::ProfileIndex p : c.profiles_of(b)) {
      const vgpu::Profile& prof = c.profile(p);
      if (!prof.is_mig() || prof.mig_compute_slices != g || prof.max_mig <= 0 ||
          prof.mig_profile.find("+me") != std::string::npos)
        continue;
      if (!found || prof.framebuffer_mb < c.profile(*found).framebuffer_mb) found = p;
    }
    if (!found)
      throw std::invalid_argument("board " + c.board(b).name + " has no MIG profile of " +
                                  std::to_string(g) + " compute slices");
    out.push_back(*found);
  }
  return out;
}

}  // namespace

std::int64_t vgpu_units_per_gpu(VgpuVariant variant) {
  return variant == VgpuVariant::mig ? 7000 : 1000;
}

std::int64_t vgpu_profile_units(const vgpu::Catalog& c, vgpu::ProfileIndex p) {
  const vgpu::Profile& prof = c.profile(p);
  if (prof.is_mig()) return 1000 * static_cast<std::int64_t>(prof.mig_compute_slices);
  const std::int64_t fb = c.board(prof.board).framebuffer_mb;
  return fb > 0 ? prof.framebuffer_mb * 1000 / fb : 0;
}

VgpuMode::VgpuMode(VgpuModeOptions options) : options_(std::move(options)) {
  auto catalog = vgpu::default_catalog();
  if (!catalog) throw std::logic_error("the shipped vGPU catalog does not parse");
  config_.catalog = std::move(*catalog);
  if (options_.board.empty()) options_.board = options_.variant == VgpuVariant::mig ? "A100" : "A40";
  const auto board = config_.catalog.find_board(options_.board);
  if (!board) throw std::invalid_argument("unknown board '" + options_.board + "'");
  board_ = *board;
  profiles_ = options_.variant == VgpuVariant::mig ? mig_profiles(config_.catalog, board_)
                                                   : equal_size_profiles(config_.catalog, board_);
}

std::string_view VgpuMode::name() const {
  switch (options_.variant) {
    case VgpuVariant::equal_size: return "vgpu";
    case VgpuVariant::static_profiles: return "vgpu-static";
    case VgpuVariant::mig: return "vgpu-mig";
  }
  return "vgpu";
}

std::optional<vgpu::ProfileIndex> VgpuMode::profile_for(int num_gpu,
                                                        std::int64_t gpu_milli) const {
  if (num_gpu <= 0) return std::nullopt;
  if (num_gpu > 1 || gpu_milli >= 1000) return profiles_.back();
  const bool mig = options_.variant == VgpuVariant::mig;
  // MIG: whole compute slices (ceil(7 s / 1000)), in the 1000-per-slice units.
  const std::int64_t need = mig ? 1000 * ((7 * gpu_milli + 999) / 1000) : gpu_milli;
  for (vgpu::ProfileIndex p : profiles_)
    if (vgpu_profile_units(config_.catalog, p) >= need) return p;
  return profiles_.back();
}

std::int64_t VgpuMode::share_units(int num_gpu, std::int64_t gpu_milli) const {
  const auto p = profile_for(num_gpu, gpu_milli);
  return p ? vgpu_profile_units(config_.catalog, *p) : 0;
}

Workload VgpuMode::prepare(const Workload& w) {
  Workload out = w;
  demand_.assign(profiles_.size(), 0);
  std::map<vgpu::ProfileIndex, double> counts;
  double total = 0;
  for (RequestSpec& r : out.requests) {
    r.gpu_spec.clear();
    const auto p = profile_for(r.num_gpu, r.gpu_milli);
    if (!p) {
      r.num_gpu = 0;
      r.gpu_milli = 0;
      continue;
    }
    r.gpu_milli = vgpu_profile_units(config_.catalog, *p);
    r.profile = config_.catalog.profile(*p).name;
    const auto i = static_cast<std::size_t>(std::find(profiles_.begin(), profiles_.end(), *p) -
                                            profiles_.begin());
    demand_[i] += r.gpu_demand_milli();
    counts[*p] += r.num_gpu;
    total += r.num_gpu;
  }
  mix_.clear();
  for (const auto& [p, n] : counts) mix_.push_back({p, n / total});
  return out;
}

std::vector<int> VgpuMode::static_split(const std::vector<std::int64_t>& demand, int gpus) {
  std::vector<int> out(demand.size(), 0);
  std::int64_t total = 0;
  for (std::int64_t d : demand) total += d;
  if (gpus <= 0 || demand.empty()) return out;
  if (total <= 0) {  // nothing known: an equal split
    for (int g = 0; g < gpus; ++g) ++out[static_cast<std::size_t>(g) % out.size()];
    return out;
  }
  std::vector<std::pair<double, std::size_t>> remainders;
  int given = 0;
  for (std::size_t i = 0; i < demand.size(); ++i) {
    const double exact = static_cast<double>(gpus) * static_cast<double>(demand[i]) / static_cast<double>(total);
    out[i] = static_cast<int>(exact);
    given += out[i];
    remainders.push_back({exact - out[i], i});
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second > b.second;
  });
  for (std::size_t k = 0; given < gpus; ++k, ++given) ++out[remainders[k % remainders.size()].second];
  // A profile with demand but no GPU could never be served: take one from the largest share.
  for (std::size_t i = 0; i < demand.size(); ++i) {
    if (demand[i] <= 0 || out[i] > 0) continue;
    const auto most = static_cast<std::size_t>(std::max_element(out.begin(), out.end()) - out.begin());
    if (out[most] <= 1) break;
    --out[most];
    ++out[i];
  }
  return out;
}

std::vector<vgpu::ProfileIndex> VgpuMode::static_plan(const ClusterSpec& spec) const {
  const int gpus = spec.gpu_count();
  const std::vector<int> split =
      static_split(demand_.empty() ? std::vector<std::int64_t>(profiles_.size(), 0) : demand_, gpus);
  // Deal GPUs one at a time to the profile furthest below its share so far (each profile
  // spread evenly over the cluster, in host name then GPU order).
  std::vector<int> dealt(split.size(), 0);
  std::vector<vgpu::ProfileIndex> plan;
  for (int g = 0; g < gpus; ++g) {
    std::size_t best = 0;
    double best_gap = -1e300;
    for (std::size_t i = 0; i < split.size(); ++i) {
      if (dealt[i] >= split[i]) continue;
      const double gap = static_cast<double>(split[i]) * (g + 1) / gpus - dealt[i];
      if (gap > best_gap) best_gap = gap, best = i;
    }
    ++dealt[best];
    plan.push_back(profiles_[best]);
  }
  return plan;
}

SimCluster VgpuMode::build(const ClusterSpec& spec) const {
  SimCluster cluster(spec);
  cluster.set_vgpu(&config_);
  const ClassId share = cluster.add_class(std::string(kShareClass));
  const TraitId model = cluster.add_trait(model_trait_name(config_.catalog.board(board_).name));
  // Hosts in name order, as in fractional mode: root ids follow names, and equal scores go to
  // the first host by name.
  std::vector<std::size_t> order(spec.hosts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&spec](std::size_t a, std::size_t b) {
    return spec.hosts[a].name < spec.hosts[b].name;
  });
  for (std::size_t i : order) cluster.add_host(i, {}, {});
  cluster.finish();

  const std::vector<vgpu::ProfileIndex> plan =
      options_.variant == VgpuVariant::static_profiles ? static_plan(spec) : std::vector<vgpu::ProfileIndex>{};
  const std::int64_t units = vgpu_units_per_gpu(options_.variant);
  std::uint64_t next_uuid = 1;
  std::size_t dealt = 0;
  for (std::size_t i : order) {
    const HostSpec& h = spec.hosts[i];
    if (h.gpus <= 0) continue;
    vgpu::HostReport report;
    report.hostname = h.name;
    for (int g = 0; g < h.gpus; ++g) {
      vgpu::ReportedGpu gpu;
      gpu.pci_address = pci_address(g);
      gpu.board = config_.catalog.board(board_).name;
      gpu.mode = options_.variant == VgpuVariant::mig ? vgpu::GpuMode::mig : vgpu::GpuMode::equal_size;
      if (options_.variant == VgpuVariant::static_profiles)
        gpu.supported_profiles = {config_.catalog.profile(plan[dealt++]).name};
      else
        for (vgpu::ProfileIndex p : profiles_) gpu.supported_profiles.push_back(config_.catalog.profile(p).name);
      report.gpus.push_back(std::move(gpu));
    }
    vgpu::HostTreePlan tree = vgpu::plan_host_tree(cluster.state(), config_, report, 0,
                                                   [&next_uuid] { return report_uuid(next_uuid++); });
    if (tree.error) throw std::logic_error("simulator: host report of " + h.name + ": " + *tree.error);
    // The shadow share account and the board's model trait on each new GPU child.
    for (Change& c : tree.changes.changes) {
      auto* create = std::get_if<CreateProvider>(&c);
      if (!create || create->provider.parent == kNoProvider) continue;
      create->provider.inventories[share] = Inventory{units, 0, 1, units, 1, 1.0};
      create->provider.traits.push_back(model);
      std::sort(create->provider.traits.begin(), create->provider.traits.end());
    }
    cluster.apply(std::move(tree.changes));
  }
  return cluster;
}

NodeModel VgpuMode::node_model(const SimCluster& cluster) const {
  NodeModel m;
  m.cpu = cluster.vcpu();
  m.gpu_share = cluster.class_id(kShareClass).value_or(0);
  m.units_per_gpu = vgpu_units_per_gpu(options_.variant);
  if (auto t = cluster.trait_id(model_trait_name(config_.catalog.board(board_).name)))
    m.model_traits.push_back(*t);
  return m;
}

std::optional<TraitId> VgpuMode::model_trait(const SimCluster& cluster, std::string_view) const {
  // Every GPU is on the one board: any model the trace names means it.
  return cluster.trait_id(model_trait_name(config_.catalog.board(board_).name));
}

std::optional<search::SearchRequest> VgpuMode::search_request(const SimCluster& cluster,
                                                              const RequestSpec& r) const {
  search::SearchRequest req;
  req.limit = 1;
  if (!mix_.empty()) req.request_mix = &mix_;
  search::GroupRequest unnumbered;
  if (r.cpu_milli > 0) unnumbered.resources.push_back({cluster.vcpu(), r.cpu_milli});
  if (r.memory_mib > 0) unnumbered.resources.push_back({cluster.memory(), r.memory_mib});
  std::sort(unnumbered.resources.begin(), unnumbered.resources.end(),
            [](const auto& a, const auto& b) { return a.resource_class < b.resource_class; });
  if (!unnumbered.resources.empty()) req.groups.push_back(std::move(unnumbered));
  if (r.num_gpu > 0) {
    std::optional<vgpu::ProfileIndex> p;
    if (!r.profile.empty()) p = config_.catalog.find_profile(r.profile);
    if (!p) p = profile_for(r.num_gpu, r.gpu_milli > 1000 ? 1000 : r.gpu_milli);
    if (!p || std::find(profiles_.begin(), profiles_.end(), *p) == profiles_.end()) return std::nullopt;
    const auto vgpu_class = cluster.class_id(vgpu::resource_class_for(config_, *p));
    const auto share = cluster.class_id(kShareClass);
    if (!vgpu_class || !share) return std::nullopt;  // no GPU offers the profile
    for (int g = 1; g <= r.num_gpu; ++g) {
      search::GroupRequest gpu;
      gpu.suffix = std::to_string(g);
      gpu.same_provider = true;
      gpu.resources.push_back({*vgpu_class, 1});
      gpu.resources.push_back({*share, vgpu_profile_units(config_.catalog, *p)});
      std::sort(gpu.resources.begin(), gpu.resources.end(),
                [](const auto& a, const auto& b) { return a.resource_class < b.resource_class; });
      req.groups.push_back(std::move(gpu));
    }
    req.isolate = r.num_gpu > 1;
  }
  if (req.groups.empty()) return std::nullopt;
  return req;
}

}  // namespace vgpu::scheduler::sim
