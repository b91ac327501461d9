#include "scheduler/vgpu/score_fragmentation.hpp"

#include <algorithm>

namespace vgpu::scheduler::vgpu {

double expected_fragmentation(std::int64_t free, std::span<const MixFit> mix, bool after) {
  double f = 0;
  for (const MixFit& p : mix) {
    const std::int64_t count = std::max(0, after ? p.free_count_after : p.free_count_before);
    const std::int64_t usable = count * std::max<std::int64_t>(0, p.size);
    f += p.weight * static_cast<double>(std::max<std::int64_t>(0, free - usable));
  }
  return f;
}

double fragmentation_delta(const FragmentationInput& in) {
  return expected_fragmentation(in.free_after, in.mix, true) -
         expected_fragmentation(in.free_before, in.mix, false);
}

double fragmentation_score(const FragmentationInput& in) {
  if (in.mix.empty() || in.capacity <= 0) return 50.0;
  const double d = fragmentation_delta(in) / static_cast<double>(in.capacity);
  return std::clamp(50.0 * (1.0 - d), 0.0, 100.0);
}

std::vector<MixFit> mix_fits(std::span<const ProfileWeight> mix,
                             const std::function<std::int64_t(ProfileIndex)>& size_of,
                             const std::function<int(ProfileIndex)>& free_count_before,
                             const std::function<int(ProfileIndex)>& free_count_after) {
  std::vector<MixFit> fits;
  double sum = 0;
  for (const ProfileWeight& w : mix) {
    const std::int64_t size = size_of(w.profile);
    if (size <= 0 || !(w.weight > 0)) continue;
    fits.push_back({w.weight, size, free_count_before(w.profile), free_count_after(w.profile)});
    sum += w.weight;
  }
  for (MixFit& f : fits) f.weight /= sum;
  return fits;
}

}  // namespace vgpu::scheduler::vgpu
