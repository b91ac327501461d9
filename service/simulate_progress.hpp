#pragma once
// The simulate command's progress bar on stderr. Shown only when stderr is a terminal (never in
// tests, pipes or logs), only once the runs have gone on for a couple of seconds (short runs
// stay quiet), redrawn at most 10 times a second (the runs report after every request, ~10^5
// times a second), and erased at the end so the table that follows starts on a clean line.
#include <chrono>
#include <cstdint>
#include <string>

namespace vgpu::service {

class ProgressBar {
 public:
  // `runs`: how many runs (policy x seed) the bar covers.
  ProgressBar(bool enabled, std::size_t runs);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();  // erases the bar if it was drawn

  // `done` of `total` steps of the run (policy, seed); one call at a time.
  void update(const std::string& policy, std::uint64_t seed, std::size_t done, std::size_t total);

 private:
  bool enabled_;
  std::size_t runs_;
  std::size_t finished_ = 0;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace vgpu::service
