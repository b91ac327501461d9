#pragma once
// Runs of an experiment (policy x seed) on up to `jobs` threads, the calling one included. Each
// run works on its own copy of the cluster, so runs share nothing but what the caller locks.
#include <cstddef>
#include <functional>

namespace vgpu::scheduler::sim {

// Calls run_one(i) for every i < count, each exactly once; the first exception any run throws
// is rethrown once every thread has stopped (the other runs still finish).
void run_parallel(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& run_one);

}  // namespace vgpu::scheduler::sim
