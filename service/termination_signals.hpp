#pragma once
// SIGINT/SIGTERM handling without async-signal-safety worries: the signals are blocked before
// any thread starts (threads inherit the mask), and the main thread collects them with sigwait.

namespace vgpu::service {

class TerminationSignals {
 public:
  // Must run before any other thread is created.
  TerminationSignals();
  // Leaves the signals blocked: a second SIGTERM during shutdown must not kill the process
  // with a non-zero status after a clean stop.
  ~TerminationSignals() = default;
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;

  // Blocks until SIGINT or SIGTERM arrives; returns its number.
  int wait();
};

const char* signal_name(int signal_number);

}  // namespace vgpu::service
