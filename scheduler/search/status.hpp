#pragma once
// "Does not fit" is a result, not an exception: plugins answer a Status naming the reason.
// Reasons are static strings so that rejecting a provider costs no allocation.
#include <string_view>

namespace vgpu::scheduler::search {

struct Status {
  bool ok = true;
  std::string_view reason;  // empty when ok

  static Status success() { return {}; }
  static Status reject(std::string_view why) { return {false, why}; }
  explicit operator bool() const { return ok; }
};

}  // namespace vgpu::scheduler::search
