#pragma once
// What api/ sees of storage: the current snapshot for reads, and commit() for writes. Reads never
// touch the database; a commit writes to the database first and publishes a new snapshot only
// after the transaction committed.
#include <memory>

#include "scheduler/model/change_set.hpp"
#include "scheduler/model/state.hpp"
#include "service/store/database.hpp"

namespace vgpu::store {

class Store {
 public:
  virtual ~Store() = default;
  virtual std::shared_ptr<const scheduler::State> snapshot() const = 0;
  // Throws Conflict or Unavailable; on success the ChangeSet's ids are filled in and snapshot()
  // already reflects it.
  virtual void commit(scheduler::ChangeSet& changes) = 0;
  // Database reachable and schema current.
  virtual bool ready() = 0;
};

}  // namespace vgpu::store
