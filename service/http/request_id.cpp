#include "service/http/request_id.hpp"

#include <cstdint>
#include <cstdio>
#include <random>

namespace vgpu::http {

std::string new_request_id() {
  // One generator per thread: no lock, and ids need to be unique, not unpredictable.
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uint64_t hi = random();
  std::uint64_t lo = random();
  hi = (hi & ~0xF000ull) | 0x4000ull;                // version 4
  lo = (lo & ~(0xC0ull << 56)) | (0x80ull << 56);    // RFC 4122 variant
  char text[41];
  std::snprintf(text, sizeof text, "req-%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return text;
}

}  // namespace vgpu::http
