#pragma once
// How the scores combine into one ranking: named, configured weights, a weighted mean, and the
// parts kept for explain output. The service validates the weights at start-up (a bad weight
// stops it with a message naming the field).
//
//   total = sum of w_i * part_i / sum of w_i      over packing, fragmentation, energy, spread
//
// Each part is 0..100 (score_packing.hpp, score_fragmentation.hpp, score_energy.hpp,
// score_spread.hpp), so the total is too. A part with weight 0 does not count (its value is
// still reported; callers may skip computing it).
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace vgpu::scheduler::vgpu {

// Defaults: packing, fragmentation and energy count equally until the simulator says better;
// spread works against packing and energy, so it is opt-in (anti-affinity) and 0 by default.
struct ScoreWeights {
  double packing = 1;
  double fragmentation = 1;
  double energy = 1;
  double spread = 0;
};

struct ScoreParts {
  double packing = 0;
  double fragmentation = 0;
  double energy = 0;
  double spread = 0;
  double total = 0;  // set by combine
};

// The table of named scores: configuration keys, explain output and validation all go
// through it, so a new score is one row here plus its function.
struct ScoreField {
  std::string_view name;
  double ScoreWeights::*weight;
  double ScoreParts::*part;
};
inline constexpr std::array<ScoreField, 4> kScoreFields{{
    {"packing", &ScoreWeights::packing, &ScoreParts::packing},
    {"fragmentation", &ScoreWeights::fragmentation, &ScoreParts::fragmentation},
    {"energy", &ScoreWeights::energy, &ScoreParts::energy},
    {"spread", &ScoreWeights::spread, &ScoreParts::spread},
}};

// `parts` with `total` set to the weighted mean, clamped to 0..100 (0 if every weight is 0,
// which validate() rejects).
ScoreParts combine(const ScoreWeights&, ScoreParts parts);

// Sets the weight called `name` ("packing", ...); false when no score has that name.
bool set_weight(ScoreWeights&, std::string_view name, double value);

// Every weight finite and >= 0, and not all 0. The message names the field, e.g.
//   score weight "energy" must be >= 0 (got -1)
std::optional<std::string> validate(const ScoreWeights&);

}  // namespace vgpu::scheduler::vgpu
