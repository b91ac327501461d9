#pragma once
// A small CSV reader for the traces: a header row names the columns, each later row is split on
// commas (the traces quote nothing; a quoted field is refused rather than misread). Columns are
// found by name, so extra columns and any column order are accepted. Every error names the
// source and the line.
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

class CsvTable {
 public:
  // Reads the header row; throws TraceError when there is none.
  CsvTable(std::istream& in, std::string source);

  // Index of a column, or nullopt; required() throws naming the column.
  std::optional<std::size_t> column(std::string_view name) const;
  std::size_t required(std::string_view name) const;

  // Advances to the next non-empty row; false at the end.
  bool next();
  std::size_t line() const { return line_; }
  // Fields of the current row (missing trailing fields read as empty).
  std::string_view field(std::size_t column) const;
  std::string_view field(std::optional<std::size_t> column) const {
    return column ? field(*column) : std::string_view();
  }
  std::int64_t integer(std::size_t column, std::int64_t min, std::int64_t max) const;
  // Empty field: `empty_value`.
  std::int64_t integer_or(std::optional<std::size_t> column, std::int64_t empty_value,
                          std::int64_t min, std::int64_t max) const;
  double number(std::size_t column) const;
  std::optional<double> optional_number(std::optional<std::size_t> column) const;
  // "source:line: what"
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::istream& in_;
  std::string source_;
  std::vector<std::string> header_;
  std::string row_;
  std::vector<std::string_view> fields_;
  std::size_t line_ = 0;
};

}  // namespace vgpu::scheduler::sim
