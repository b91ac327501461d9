#pragma once
// Integer identities used inside the service. UUID strings and names appear only at the edges
// (api/ and the stores); everything else compares small integers.
#include <cstdint>

namespace vgpu::scheduler {

using ProviderId = std::int64_t;   // database primary key of a resource provider
using ClassId = std::int32_t;      // resource class: standard ones 0..N-1, custom from 10000
using TraitId = std::int32_t;      // database primary key of a trait
using ConsumerId = std::int64_t;   // database primary key of a consumer

inline constexpr ProviderId kNoProvider = 0;
inline constexpr ClassId kFirstCustomClassId = 10000;

}  // namespace vgpu::scheduler
