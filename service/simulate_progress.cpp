#include "service/simulate_progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace vgpu::service {
namespace {

constexpr auto kQuietFor = std::chrono::seconds(2);
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr int kWidth = 30;

}  // namespace

ProgressBar::ProgressBar(bool enabled, std::size_t runs)
    : enabled_(enabled && isatty(STDERR_FILENO) != 0), runs_(std::max<std::size_t>(runs, 1)),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(const std::string& policy, std::uint64_t seed, std::size_t done,
                         std::size_t total) {
  if (!enabled_) return;
  if (done >= total) ++finished_;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < kQuietFor || now - last_ < kRedrawEvery) return;
  last_ = now;
  const double in_run =
      done >= total || total == 0 ? 0.0 : static_cast<double>(done) / static_cast<double>(total);
  const double frac =
      std::min(1.0, (static_cast<double>(finished_) + in_run) / static_cast<double>(runs_));
  const int filled = static_cast<int>(frac * kWidth);
  const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                          std::string(static_cast<std::size_t>(kWidth - filled), '-');
  std::fprintf(stderr, "\r[%s] %3d%%  run %zu/%zu  %s seed %llu\033[K", bar.c_str(),
               static_cast<int>(frac * 100), std::min(finished_ + 1, runs_), runs_, policy.c_str(),
               static_cast<unsigned long long>(seed));
  std::fflush(stderr);
  shown_ = true;
}

ProgressBar::~ProgressBar() {
  if (shown_) std::fputs("\r\033[K", stderr);
}

}  // namespace vgpu::service
