#include "scheduler/vgpu/score_weights.hpp"
#include "scheduler/vgpu/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace vgpu::scheduler::vgpu {
ScoreParts combine(const ScoreWeights& weights, ScoreParts parts) {
  double weighted = 0;
  double sum = 0;
  for (const ScoreField& f : kScoreFields) {
    const double w = weights.*f.weight;
    if (!(w > 0)) continue;
    weighted += w * (parts.*f.part);
    sum += w;
  }
  parts.total = sum > 0 ? std::clamp(weighted / sum, 0.0, 100.0) : 0.0;
  return parts;
}

bool set_weight(ScoreWeights& weights, std::string_view name, double value) {
  for (const ScoreField& f : kScoreFields) {
    if (f.name == name) {
      weights.*f.weight = value;
      return true;
    }
  }
  return false;
}

std::optional<std::string> validate(const ScoreWeights& weights) {
  bool any = false;
  for (const ScoreField& f : kScoreFields) {
    const double w = weights.*f.weight;
    const std::string field = "score weight \"" + std::string(f.name) + "\"";
    if (!std::isfinite(w)) return field + " must be finite (got " + number_text(w) + ")";
    if (w < 0) return field + " must be >= 0 (got " + number_text(w) + ")";
    any = any || w > 0;
  }
  if (!any) {
    return std::string("score weights must not all be 0 (packing, fragmentation, energy, spread)");
  }
  return std::nullopt;
}

}  // namespace vgpu::scheduler::vgpu
