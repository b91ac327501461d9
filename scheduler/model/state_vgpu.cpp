// The vGPU layer of State: managed hosts and GPUs (managed_gpu.hpp) and the licence pools.
//
// What sits on a managed GPU (ManagedGpu::gpu.placed / placed_by) and the pools' `used` are
// never stored: like Provider::usage they are derived from the consumers (Consumer::vgpus and
// Consumer::seats) and kept up to date as consumers are put and deleted, so that releasing a
// consumer releases its vGPUs and seats with it.
//
// Copy-on-write at two levels: the layer behind one pointer (a claim without vGPUs copies none
// of it), and inside it sharded maps of shared, immutable entries (a claim with a vGPU copies
// one shard and one GPU, not the fleet).
#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "scheduler/model/state.hpp"

namespace vgpu::scheduler {

namespace {

// A value shared between snapshots until one of them changes it. Copying a CowMap copies its
// 256 shard pointers, each a likely cache miss (~0.1 us): a claim that only moves seats must not
// pay that for maps it does not touch, so each map sits in its own box.
template <typename T>
class CowBox {
 public:
  CowBox() : value_(std::make_shared<T>()) {}
  const T& operator*() const { return *value_; }
  const T* operator->() const { return value_.get(); }
  // Copies the value unless only this box holds it (an unpublished snapshot being built).
  T& mut() {
    if (value_.use_count() != 1) value_ = std::make_shared<T>(*value_);
    return *value_;
  }

 private:
  std::shared_ptr<T> value_;
};

}  // namespace

struct State::VgpuLayer {
  CowBox<CowMap<ProviderId, std::shared_ptr<const ManagedGpu>>> gpus;
  CowBox<CowMap<std::string, std::shared_ptr<const ManagedHost>>> hosts;
  CowBox<CowMap<ProviderId, std::string>> host_of_root;
  LicencePools pools;
};

namespace {

// Placed vGPUs in one order whatever the order of the changes that made them: by start, then
// consumer, then profile (a GPU state loaded from the database equals one built by claims).
void normalize(ManagedGpu& gpu) {
  const std::size_t n = gpu.gpu.placed.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto key = [&](std::size_t i) {
    return std::tuple(gpu.gpu.placed[i].start, gpu.placed_by[i], gpu.gpu.placed[i].profile);
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  std::vector<vgpu::PlacedVgpu> placed;
  std::vector<ConsumerId> by;
  placed.reserve(n);
  by.reserve(n);
  for (std::size_t i : order) {
    placed.push_back(gpu.gpu.placed[i]);
    by.push_back(gpu.placed_by[i]);
  }
  gpu.gpu.placed = std::move(placed);
  gpu.placed_by = std::move(by);
}

}  // namespace

std::shared_ptr<const State::VgpuLayer> State::empty_vgpu_layer() {
  return std::make_shared<const VgpuLayer>();
}

State::VgpuLayer& State::mutable_vgpu() {
  // A layer only this (unpublished) State holds is changed in place: a ChangeSet with many
  // consumers copies the layer once, not once per consumer. Nobody else can take a reference
  // to it meanwhile, since only `this` holds it.
  if (vgpu_.use_count() != 1) vgpu_ = std::make_shared<const VgpuLayer>(*vgpu_);
  return const_cast<VgpuLayer&>(*vgpu_);
}

const ManagedHost* State::managed_host(std::string_view hostname) const {
  const auto* h = vgpu_->hosts->find(std::string(hostname));
  return h ? h->get() : nullptr;
}

const ManagedHost* State::managed_host_of_root(ProviderId root) const {
  const auto* name = vgpu_->host_of_root->find(root);
  return name ? managed_host(*name) : nullptr;
}

const ManagedGpu* State::managed_gpu(ProviderId provider) const {
  const auto* g = vgpu_->gpus->find(provider);
  return g ? g->get() : nullptr;
}

std::size_t State::managed_host_count() const { return vgpu_->hosts->size(); }

std::vector<const ManagedHost*> State::managed_hosts() const {
  std::vector<const ManagedHost*> out;
  vgpu_->hosts->for_each([&](const std::string&, const std::shared_ptr<const ManagedHost>& h) {
    out.push_back(h.get());
  });
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->hostname < b->hostname; });
  return out;
}

const LicencePools& State::licence_pools() const { return vgpu_->pools; }

void State::derive_placed(ManagedGpu& gpu) const {
  gpu.gpu.placed.clear();
  gpu.placed_by.clear();
  const Provider* p = provider(gpu.provider);
  if (!p) return;
  for (const Uuid& uuid : p->consumers) {
    const Consumer* c = consumer(uuid);
    if (!c) continue;
    for (const VgpuAssignment& v : c->vgpus) {
      if (v.gpu != gpu.provider) continue;
      gpu.gpu.placed.push_back({v.profile, v.start});
      gpu.placed_by.push_back(c->id);
    }
  }
  normalize(gpu);
}

void State::apply(const PutManagedHost& c) {
  VgpuLayer& layer = mutable_vgpu();
  ManagedHost host = c.host;
  if (host.gpus.empty()) {
    for (const ManagedGpu& g : c.gpus) host.gpus.push_back(g.provider_uuid);
  }
  const Provider* root = provider(host.root_uuid);
  host.root = root ? root->id : kNoProvider;

  // GPUs of the host's previous report that are not in this one stop being managed.
  if (const ManagedHost* old = managed_host(host.hostname)) {
    for (const Uuid& u : old->gpus) {
      if (std::find(host.gpus.begin(), host.gpus.end(), u) != host.gpus.end()) continue;
      if (const Provider* p = provider(u)) {
        const ManagedGpu* g = managed_gpu(p->id);
        if (g && g->hostname == host.hostname) layer.gpus.mut().erase(p->id);
      }
    }
    if (old->root != host.root) layer.host_of_root.mut().erase(old->root);
  }
  for (const ManagedGpu& given : c.gpus) {
    const Provider* p = provider(given.provider_uuid);
    if (!p) continue;  // the store wrote it in the same transaction; absent only in a bad test
    auto gpu = std::make_shared<ManagedGpu>(given);
    gpu->provider = p->id;
    gpu->hostname = host.hostname;
    derive_placed(*gpu);
    layer.gpus.mut().set(p->id, std::move(gpu));
  }
  if (host.root != kNoProvider) layer.host_of_root.mut().set(host.root, host.hostname);
  const std::string name = host.hostname;
  layer.hosts.mut().set(name, std::make_shared<const ManagedHost>(std::move(host)));
}

void State::apply(const SetLicencePools& c) {
  VgpuLayer& layer = mutable_vgpu();
  for (std::size_t e = 0; e < layer.pools.pools.size(); ++e) {
    layer.pools.pools[e].total = c.pools.pools[e].total;
    layer.pools.pools[e].reserve = c.pools.pools[e].reserve;
  }
}

void State::forget_managed(const Provider& deleted) {
  if (const ManagedGpu* gpu = managed_gpu(deleted.id)) {
    const std::string hostname = gpu->hostname;
    VgpuLayer& layer = mutable_vgpu();
    layer.gpus.mut().erase(deleted.id);
    if (const ManagedHost* host = managed_host(hostname)) {
      auto next = std::make_shared<ManagedHost>(*host);
      std::erase(next->gpus, deleted.uuid);
      layer.hosts.mut().set(hostname, std::move(next));
    }
  }
  if (const ManagedHost* host = managed_host_of_root(deleted.id)) {
    const ManagedHost copy = *host;
    VgpuLayer& layer = mutable_vgpu();
    for (const Uuid& u : copy.gpus) {
      const Provider* p = provider(u);
      if (!p) continue;
      const ManagedGpu* g = managed_gpu(p->id);
      if (g && g->hostname == copy.hostname) layer.gpus.mut().erase(p->id);
    }
    layer.host_of_root.mut().erase(deleted.id);
    layer.hosts.mut().erase(copy.hostname);
  }
}

void State::account_vgpus(const Consumer& c, int sign) {
  if (c.vgpus.empty() && c.seats.empty()) return;  // plain Placement use: the layer is untouched
  VgpuLayer& layer = mutable_vgpu();
  for (const SeatHold& s : c.seats) {
    if (s.edition >= layer.pools.pools.size()) continue;
    layer.pools.pools[s.edition].used += sign * s.seats;
  }
  // One copy per GPU touched, however many vGPUs the consumer has there.
  std::vector<ProviderId> touched;
  for (const VgpuAssignment& v : c.vgpus) {
    if (std::find(touched.begin(), touched.end(), v.gpu) == touched.end()) touched.push_back(v.gpu);
  }
  for (ProviderId id : touched) {
    const ManagedGpu* old = managed_gpu(id);
    if (!old) continue;  // not (or no longer) managed: nothing is placed there
    auto gpu = std::make_shared<ManagedGpu>(*old);
    if (sign < 0) {
      for (std::size_t i = gpu->placed_by.size(); i-- > 0;) {
        if (gpu->placed_by[i] != c.id) continue;
        gpu->placed_by.erase(gpu->placed_by.begin() + static_cast<std::ptrdiff_t>(i));
        gpu->gpu.placed.erase(gpu->gpu.placed.begin() + static_cast<std::ptrdiff_t>(i));
      }
    } else {
      for (const VgpuAssignment& v : c.vgpus) {
        if (v.gpu != id) continue;
        gpu->gpu.placed.push_back({v.profile, v.start});
        gpu->placed_by.push_back(c.id);
      }
      normalize(*gpu);
    }
    layer.gpus.mut().set(id, std::move(gpu));
  }
}

void State::derive_vgpu_usage() {
  VgpuLayer& layer = mutable_vgpu();
  for (auto& pool : layer.pools.pools) pool.used = 0;
  std::unordered_map<ProviderId, std::vector<const Consumer*>> on_gpu;
  consumers_.for_each([&](const Uuid&, const std::shared_ptr<const Consumer>& c) {
    for (const SeatHold& s : c->seats) {
      if (s.edition < layer.pools.pools.size()) layer.pools.pools[s.edition].used += s.seats;
    }
    for (const VgpuAssignment& v : c->vgpus) {
      auto& list = on_gpu[v.gpu];
      if (list.empty() || list.back() != c.get()) list.push_back(c.get());
    }
  });
  std::vector<ProviderId> ids;
  layer.gpus->for_each([&](ProviderId id, const std::shared_ptr<const ManagedGpu>&) {
    ids.push_back(id);
  });
  for (ProviderId id : ids) {
    auto gpu = std::make_shared<ManagedGpu>(*managed_gpu(id));
    gpu->gpu.placed.clear();
    gpu->placed_by.clear();
    for (const Consumer* c : on_gpu[id]) {
      for (const VgpuAssignment& v : c->vgpus) {
        if (v.gpu != id) continue;
        gpu->gpu.placed.push_back({v.profile, v.start});
        gpu->placed_by.push_back(c->id);
      }
    }
    normalize(*gpu);
    layer.gpus.mut().set(id, std::move(gpu));
  }
}

void State::load_managed_host(ManagedHost host, std::vector<ManagedGpu> gpus) {
  // Same as a committed PutManagedHost; derive_usage() then fills in what is placed. GPUs whose
  // provider is gone stay listed in host.gpus (the `check` reports them) but are not managed.
  apply(PutManagedHost{std::move(host), std::move(gpus)});
}

void State::load_licence_pools(LicencePools pools) {
  VgpuLayer& layer = mutable_vgpu();
  const auto used = layer.pools;
  layer.pools = pools;
  for (std::size_t e = 0; e < layer.pools.pools.size(); ++e) {
    layer.pools.pools[e].used = used.pools[e].used;  // `used` follows the seats held
  }
}

}  // namespace vgpu::scheduler
