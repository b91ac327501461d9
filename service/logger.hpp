#pragma once
// A small line logger to stderr: "2024-05-01T12:00:00.123Z INFO message". One line is written
// with one call under a lock, so lines from worker threads never interleave. Passed by reference
// to whoever logs (no global logger).
#include <cstdio>
#include <mutex>
#include <string_view>

#include "service/config/config.hpp"

namespace vgpu::service {

using config::LogLevel;

class Logger {
 public:
  explicit Logger(LogLevel min_level, std::FILE* out = stderr) : min_(min_level), out_(out) {}

  bool enabled(LogLevel level) const { return level >= min_; }
  void log(LogLevel level, std::string_view message);
  void debug(std::string_view m) { log(LogLevel::kDebug, m); }
  void info(std::string_view m) { log(LogLevel::kInfo, m); }
  void warning(std::string_view m) { log(LogLevel::kWarning, m); }
  void error(std::string_view m) { log(LogLevel::kError, m); }

 private:
  const LogLevel min_;
  std::FILE* const out_;
  std::mutex mutex_;
};

}  // namespace vgpu::service
