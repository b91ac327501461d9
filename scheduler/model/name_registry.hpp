#pragma once
// Names <-> small integer ids, for resource classes and traits. Small (hundreds of entries), so a
// snapshot copies it whole when a class or trait is added or removed.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vgpu::scheduler {

template <typename Id>
class NameRegistry {
 public:
  void add(Id id, std::string name) {
    by_name_[name] = id;
    by_id_[id] = std::move(name);
  }
  void remove(Id id) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return;
    by_name_.erase(it->second);
    by_id_.erase(it);
  }
  std::optional<Id> id_of(std::string_view name) const {
    auto it = by_name_.find(std::string(name));
    if (it == by_name_.end()) return std::nullopt;
    return it->second;
  }
  const std::string* name_of(Id id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &it->second;
  }
  std::size_t size() const { return by_id_.size(); }

  // All entries in id order (standard classes first, then custom ones as created).
  std::vector<std::pair<Id, std::string>> sorted_by_id() const {
    std::vector<std::pair<Id, std::string>> out(by_id_.begin(), by_id_.end());
    std::sort(out.begin(), out.end());
    return out;
  }

  // All names, sorted: listings are returned in a stable order.
  std::vector<std::pair<std::string, Id>> sorted_by_name() const {
    std::vector<std::pair<std::string, Id>> out(by_name_.begin(), by_name_.end());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::unordered_map<std::string, Id> by_name_;
  std::unordered_map<Id, std::string> by_id_;
};

}  // namespace vgpu::scheduler
