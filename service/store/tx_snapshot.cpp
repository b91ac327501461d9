// TxSnapshot::parse: PostgreSQL's pg_snapshot text form.
#include <charconv>

#include "service/store/database.hpp"

namespace vgpu::store {
namespace {

// One unsigned number from [p, end) up to `stop` (or the end); advances p past the separator.
bool read_number(const char*& p, const char* end, char stop, std::uint64_t& out) {
  const auto [next, ec] = std::from_chars(p, end, out);
  if (ec != std::errc() || next == p) return false;
  p = next;
  if (p != end) {
    if (*p != stop) return false;
    ++p;
  }
  return true;
}

}  // namespace

// "xmin:xmax:xip1,xip2,..." (the list may be empty; PostgreSQL writes it in ascending order).
std::optional<TxSnapshot> TxSnapshot::parse(const std::string& text) {
  TxSnapshot s;
  const char* p = text.data();
  const char* end = p + text.size();
  if (!read_number(p, end, ':', s.xmin) || p == end) return std::nullopt;
  if (!read_number(p, end, ':', s.xmax)) return std::nullopt;
  while (p != end) {
    std::uint64_t xid = 0;
    if (!read_number(p, end, ',', xid)) return std::nullopt;
    s.in_progress.push_back(xid);
  }
  std::sort(s.in_progress.begin(), s.in_progress.end());
  return s;
}

}  // namespace vgpu::store
