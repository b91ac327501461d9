#include "service/termination_signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace vgpu::service {
namespace {

sigset_t termination_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

TerminationSignals::TerminationSignals() {
  const sigset_t set = termination_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int TerminationSignals::wait() {
  const sigset_t set = termination_set();
  int received = 0;
  while (sigwait(&set, &received) != 0) {
  }
  return received;
}

const char* signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "signal";
  }
}

}  // namespace vgpu::service
