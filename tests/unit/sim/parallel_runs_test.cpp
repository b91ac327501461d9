// run_parallel: every run exactly once whatever the number of threads, and a failing run's
// exception reaches the caller after the others finished.
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "scheduler/sim/parallel_runs.hpp"

using vgpu::scheduler::sim::run_parallel;

TEST_CASE("run_parallel runs each index once and rethrows the first failure", "[sim]") {
  for (unsigned jobs : {0u, 1u, 3u, 16u}) {
    INFO("jobs " << jobs);
    std::vector<std::atomic<int>> calls(10);
    run_parallel(calls.size(), jobs, [&](std::size_t i) { ++calls[i]; });
    for (const auto& c : calls) CHECK(c == 1);

    std::atomic<int> done{0};
    CHECK_THROWS_WITH(run_parallel(10, jobs,
                                   [&](std::size_t i) {
                                     ++done;
                                     if (i == 4) throw std::runtime_error("run 4 failed");
                                   }),
                      "run 4 failed");
    CHECK(done == 10);  // the other runs still ran
  }
}
