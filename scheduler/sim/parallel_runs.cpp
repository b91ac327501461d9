#include "scheduler/sim/parallel_runs.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace vgpu::scheduler::sim {

void run_parallel(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& run_one) {
  std::mutex failed;
  std::exception_ptr failure;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < count;) {
      try {
        run_one(i);
      } catch (...) {
        std::lock_guard lock(failed);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  const unsigned threads_wanted =
      std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(count)));
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < threads_wanted; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace vgpu::scheduler::sim
