#include "scheduler/sim/csv_table.hpp"

#include <charconv>
#include <cmath>

namespace vgpu::scheduler::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view row) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = row.find(',', start);
    out.push_back(trim(row.substr(start, comma == std::string_view::npos ? row.npos : comma - start)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

CsvTable::CsvTable(std::istream& in, std::string source) : in_(in), source_(std::move(source)) {
  if (!next()) fail("no header row (empty file)");
  for (std::string_view f : fields_) header_.emplace_back(f);
  if (!header_.empty() && header_[0].starts_with("\xEF\xBB\xBF")) header_[0].erase(0, 3);
}

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvTable::required(std::string_view name) const {
  if (auto c = column(name)) return *c;
  std::string have;
  for (const auto& h : header_) have += (have.empty() ? "" : ",") + h;
  throw TraceError(source_ + ":1: missing column '" + std::string(name) + "' (header: " + have +
                   ")");
}

bool CsvTable::next() {
  while (std::getline(in_, row_)) {
    ++line_;
    if (trim(row_).empty()) continue;
    if (row_.find('"') != std::string::npos) fail("quoted fields are not supported");
    fields_ = split(row_);
    return true;
  }
  if (in_.bad()) fail("read error");
  return false;
}

std::string_view CsvTable::field(std::size_t column) const {
  return column < fields_.size() ? fields_[column] : std::string_view();
}

std::int64_t CsvTable::integer(std::size_t column, std::int64_t min, std::int64_t max) const {
  const std::string_view f = field(column);
  const std::string name = column < header_.size() ? header_[column] : "?";
  if (f.empty()) fail("column '" + name + "' is empty (an integer is needed)");
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ec != std::errc() || end != f.data() + f.size())
    fail("column '" + name + "': '" + std::string(f) + "' is not an integer");
  if (v < min || v > max)
    fail("column '" + name + "': " + std::to_string(v) + " is outside " + std::to_string(min) +
         ".." + std::to_string(max));
  return v;
}

std::int64_t CsvTable::integer_or(std::optional<std::size_t> column, std::int64_t empty_value,
                                  std::int64_t min, std::int64_t max) const {
  if (!column || field(*column).empty()) return empty_value;
  return integer(*column, min, max);
}

double CsvTable::number(std::size_t column) const {
  const std::string_view f = field(column);
  const std::string name = column < header_.size() ? header_[column] : "?";
  double v = 0;
  auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || ec != std::errc() || end != f.data() + f.size() || !std::isfinite(v))
    fail("column '" + name + "': '" + std::string(f) + "' is not a number");
  return v;
}

std::optional<double> CsvTable::optional_number(std::optional<std::size_t> column) const {
  if (!column || field(*column).empty()) return std::nullopt;
  return number(*column);
}

void CsvTable::fail(const std::string& what) const {
  throw TraceError(source_ + ":" + std::to_string(line_) + ": " + what);
}

}  // namespace vgpu::scheduler::sim
