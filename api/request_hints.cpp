#include "api/request_hints.hpp"

#include <algorithm>
#include <string>

namespace vgpu::api {

bool take_spread_hint(TraitNames& traits) {
  const std::string hint(kSpreadHintTrait);
  auto& any = traits.required_any;
  const auto alone = [&](const std::set<std::string>& s) { return s.size() == 1 && *s.begin() == hint; };
  const bool required = std::any_of(any.begin(), any.end(), alone);
  any.erase(std::remove_if(any.begin(), any.end(), alone), any.end());
  traits.forbidden.erase(hint);
  return required;
}

}  // namespace vgpu::api
