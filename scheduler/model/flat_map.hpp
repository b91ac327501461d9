#pragma once
// A small sorted vector map: providers carry a handful of inventories and usages, for which a
// contiguous sorted vector beats a node-based map in both memory and lookup time.
#include <algorithm>
#include <utility>
#include <vector>

namespace vgpu::scheduler {

template <typename K, typename V>
class FlatMap {
 public:
  using value_type = std::pair<K, V>;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  const V* find(const K& key) const {
    auto it = lower(key);
    return (it != items_.end() && it->first == key) ? &it->second : nullptr;
  }
  V* find(const K& key) {
    auto it = std::lower_bound(items_.begin(), items_.end(), key,
                               [](const value_type& a, const K& k) { return a.first < k; });
    return (it != items_.end() && it->first == key) ? &it->second : nullptr;
  }
  V& operator[](const K& key) {
    auto it = std::lower_bound(items_.begin(), items_.end(), key,
                               [](const value_type& a, const K& k) { return a.first < k; });
    if (it == items_.end() || it->first != key) it = items_.insert(it, value_type{key, V{}});
    return it->second;
  }
  bool erase(const K& key) {
    auto it = std::lower_bound(items_.begin(), items_.end(), key,
                               [](const value_type& a, const K& k) { return a.first < k; });
    if (it == items_.end() || it->first != key) return false;
    items_.erase(it);
    return true;
  }
  bool contains(const K& key) const { return find(key) != nullptr; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }

  friend bool operator==(const FlatMap&, const FlatMap&) = default;

 private:
  const_iterator lower(const K& key) const {
    return std::lower_bound(items_.begin(), items_.end(), key,
                            [](const value_type& a, const K& k) { return a.first < k; });
  }
  std::vector<value_type> items_;
};

}  // namespace vgpu::scheduler
