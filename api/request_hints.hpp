#pragma once
// Request hints that ride on Placement's own query syntax, so that Nova can send them from a
// flavor without any change to Nova: a flavor extra spec `trait:CUSTOM_VGPU_SPREAD=required`
// becomes `required=CUSTOM_VGPU_SPREAD` in GET /allocation_candidates. The hint trait is a
// request flag, never matched against providers: it is taken out of the trait rules (so that no
// provider needs to carry it) and turns on the vGPU spread ranking for that request.
#include <string_view>

#include "api/request_params.hpp"

namespace vgpu::api {

inline constexpr std::string_view kSpreadHintTrait = "CUSTOM_VGPU_SPREAD";

// Removes the spread hint from `traits` (as a required trait, or forbidden: `!CUSTOM_VGPU_SPREAD`
// just means "no spread"); true when it was required. An any-of list (`in:`) that names it is
// left alone: a hint cannot be one of several alternatives.
bool take_spread_hint(TraitNames& traits);

}  // namespace vgpu::api
