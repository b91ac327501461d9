#pragma once
// The whole placement state as one immutable snapshot. Readers hold a shared_ptr<const State>
// for the length of a request; a write builds the next State from the current one with
// with_changes(), sharing every part it did not touch.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/change_set.hpp"
#include "scheduler/model/consumer.hpp"
#include "scheduler/model/cow_map.hpp"
#include "scheduler/model/ids.hpp"
#include "scheduler/model/managed_gpu.hpp"
#include "scheduler/model/name_registry.hpp"
#include "scheduler/model/provider.hpp"
#include "scheduler/model/uuid.hpp"

namespace vgpu::scheduler {

class State {
 public:
  State();

  // Lookups. Pointers stay valid as long as this State lives.
  const Provider* provider(ProviderId id) const;
  const Provider* provider(const Uuid& uuid) const;
  const Provider* provider_named(const std::string& name) const;
  std::size_t provider_count() const { return providers_.size(); }
  // Every provider, ordered by id (creation order): listings are stable.
  std::vector<const Provider*> providers() const;
  // A provider and all its descendants, parents before children.
  std::vector<const Provider*> subtree(ProviderId id) const;
  // Indices kept up to date by every change, so that a search never scans all providers:
  // the roots in id order, the providers carrying MISC_SHARES_VIA_AGGREGATE, and whether any
  // provider has a parent.
  const std::vector<ProviderId>& root_ids() const { return *roots_; }
  const std::vector<ProviderId>& sharing_ids() const { return *sharing_; }
  bool has_nested() const { return nested_count_ > 0; }

  const Consumer* consumer(const Uuid& uuid) const;
  std::size_t consumer_count() const { return consumers_.size(); }
  // Calls f(const Consumer&) for every consumer, in no particular order.
  template <typename F>
  void for_each_consumer(F&& f) const {
    consumers_.for_each([&](const Uuid&, const std::shared_ptr<const Consumer>& c) { f(*c); });
  }

  // The vGPU layer (managed_gpu.hpp): hosts and GPUs reported through the vGPU API, with what
  // sits on each GPU derived from the consumers' VgpuAssignments; the licence pools with
  // `used` following the seats held. Implemented in state_vgpu.cpp.
  const ManagedHost* managed_host(std::string_view hostname) const;
  const ManagedHost* managed_host_of_root(ProviderId root) const;
  const ManagedGpu* managed_gpu(ProviderId provider) const;
  std::vector<const ManagedHost*> managed_hosts() const;  // ordered by hostname
  std::size_t managed_host_count() const;
  const LicencePools& licence_pools() const;

  const NameRegistry<ClassId>& classes() const { return *classes_; }
  const NameRegistry<TraitId>& traits() const { return *traits_; }

  // Whether any provider has inventory of / a usage of this class, or carries this trait.
  bool class_in_use(ClassId id) const;
  bool trait_in_use(TraitId id) const;

  // The next snapshot: this one with the committed changes applied.
  State with_changes(const ChangeSet& changes) const;
  // The same content, rebuilt the way a load builds it: every object allocated afresh, providers
  // in id order (state_compact.cpp). A snapshot grown by many writes has its providers and index
  // shards scattered over the heap, and the search, which walks thousands of providers per
  // request, runs two to three times slower on it than on a freshly loaded one.
  State compacted() const;

  // Building a snapshot from the database at start-up.
  void load_class(ClassId id, std::string name);
  void load_trait(TraitId id, std::string name);
  void load_provider(Provider provider);  // any order; call link_trees() after the last one
  void link_trees();
  void load_consumer(Consumer consumer);  // after the providers; call derive_usage() at the end
  void derive_usage();                    // Provider::usage and ::consumers from the consumers
  // The vGPU layer, after the providers and before derive_usage() (which also derives what
  // sits on each managed GPU and the pools' `used`).
  void load_managed_host(ManagedHost host, std::vector<ManagedGpu> gpus);
  void load_licence_pools(LicencePools pools);

 private:
  void put_provider(std::shared_ptr<const Provider> p);
  void index_provider(const Provider* before, const Provider* after);
  void erase_provider(const Provider& p);
  void set_children(ProviderId parent, ProviderId child, bool present);
  void reroot_subtree(ProviderId id, ProviderId root);
  Provider& mutable_provider(ProviderId id);
  void apply(const PutConsumer& c);
  void apply(const DeleteConsumer& c);
  // Adds (sign 1) or removes (sign -1) a consumer's allocations to its providers' usage.
  void account(const Consumer& c, int sign);
  NameRegistry<ClassId>& mutable_classes();
  NameRegistry<TraitId>& mutable_traits();

  // The vGPU layer (state_vgpu.cpp). It sits behind one pointer so that a write that does not
  // touch it (most claims) copies nothing of it; a write that does copies the layer's shard
  // pointers and the shards it changes, never the whole fleet.
  struct VgpuLayer;
  static std::shared_ptr<const VgpuLayer> empty_vgpu_layer();
  VgpuLayer& mutable_vgpu();
  void apply(const PutManagedHost& c);
  void apply(const SetLicencePools& c);
  // A deleted provider leaves the layer: a managed GPU, or a managed host's root (with its GPUs).
  void forget_managed(const Provider& deleted);
  // Adds (sign 1) or removes (sign -1) a consumer's vGPUs on the managed GPUs and its seats in
  // the pools' `used`.
  void account_vgpus(const Consumer& c, int sign);
  void derive_vgpu_usage();
  // What sits on one managed GPU, from the consumers with allocations on its provider.
  void derive_placed(ManagedGpu& gpu) const;

  CowMap<ProviderId, std::shared_ptr<const Provider>> providers_;
  CowMap<Uuid, ProviderId, UuidHash> by_uuid_;
  CowMap<std::string, ProviderId> by_name_;
  CowMap<Uuid, std::shared_ptr<const Consumer>, UuidHash> consumers_;
  std::shared_ptr<const NameRegistry<ClassId>> classes_;
  std::shared_ptr<const NameRegistry<TraitId>> traits_;
  std::shared_ptr<const std::vector<ProviderId>> roots_;    // sorted
  std::shared_ptr<const std::vector<ProviderId>> sharing_;  // sorted
  std::size_t nested_count_ = 0;
  std::shared_ptr<const VgpuLayer> vgpu_ = empty_vgpu_layer();
};

}  // namespace vgpu::scheduler
