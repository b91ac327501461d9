#include "scheduler/vgpu/catalog_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "scheduler/vgpu/profile_name.hpp"

namespace vgpu::scheduler::vgpu {

namespace {

// Bounds that keep numbers in an int and per-GPU slot vectors small; far above any real board
// (the largest axis in the shipped data is H100's 80 slots).
constexpr std::int64_t kMaxAxis = 4096;
constexpr std::int64_t kMaxFramebufferMb = std::int64_t{1} << 24;  // 16 TB
constexpr std::int64_t kMaxGpusPerBoard = 64;

// ---------------------------------------------------------------------------------------------
// Messages

struct Where {
  std::string_view source;
  int line = 0;
};

class Errors {
 public:
  explicit Errors(std::vector<CatalogError>& out) : out_(out) {}
  void add(Where where, std::string message) {
    out_.push_back({std::string(where.source), where.line, std::move(message)});
  }
  std::size_t count() const { return out_.size(); }

 private:
  std::vector<CatalogError>& out_;
};

std::string quoted(std::string_view s) {
  // Appended piece by piece: `"\"" + std::string(s)` trips GCC 12's -Wrestrict false positive.
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}
std::string num(std::int64_t v) { return std::to_string(v); }

// ---------------------------------------------------------------------------------------------
// Reading a table: header, rows of trimmed fields, line numbers.

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t from = 0;
  while (true) {
    const auto comma = line.find(',', from);
    fields.push_back(trim(line.substr(from, comma - from)));
    if (comma == std::string_view::npos) break;
    from = comma + 1;
  }
  return fields;
}

struct Column {
  std::string_view name;
  bool required = false;
};

struct Row {
  int line = 0;
  std::vector<std::string_view> fields;  // in header order
};

struct Table {
  std::vector<std::string_view> header;
  std::vector<Row> rows;

  // The field of a column, empty when the header does not have the column.
  std::string_view field(const Row& row, std::string_view column) const {
    const auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end()) return {};
    return row.fields[static_cast<std::size_t>(it - header.begin())];
  }
};

// nullopt when the header is unusable (then no row is read, so that one bad header does not
// turn into an error per row).
std::optional<Table> read_table(CatalogText in, std::span<const Column> columns, Errors& errors) {
  Table table;
  bool have_header = false;
  int line_no = 0;
  std::size_t from = 0;
  while (from <= in.text.size()) {
    const auto nl = in.text.find('\n', from);
    const std::string_view line =
        in.text.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from);
    from = nl == std::string_view::npos ? in.text.size() + 1 : nl + 1;
    ++line_no;
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    const Where where{in.source, line_no};
    if (!have_header) {
      have_header = true;
      table.header = split_fields(content);
      const auto before = errors.count();
      for (std::size_t i = 0; i < table.header.size(); ++i) {
        const auto name = table.header[i];
        if (std::none_of(columns.begin(), columns.end(),
                         [&](const Column& c) { return c.name == name; })) {
          errors.add(where, "unknown column " + quoted(name));
        } else if (std::find(table.header.begin(), table.header.begin() + static_cast<long>(i),
                             name) != table.header.begin() + static_cast<long>(i)) {
          errors.add(where, "column " + quoted(name) + " appears twice");
        }
      }
      for (const Column& c : columns) {
        if (c.required && std::find(table.header.begin(), table.header.end(), c.name) ==
                              table.header.end()) {
          errors.add(where, "missing column " + quoted(c.name));
        }
      }
      if (errors.count() != before) return std::nullopt;
      continue;
    }
    Row row{line_no, split_fields(content)};
    if (row.fields.size() != table.header.size()) {
      errors.add(where, "row has " + num(static_cast<std::int64_t>(row.fields.size())) +
                            " fields, the header has " +
                            num(static_cast<std::int64_t>(table.header.size())));
      continue;
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

// ---------------------------------------------------------------------------------------------
// Errors of one row, all reported at its line.

class RowErrors {
 public:
  RowErrors(Where where, Errors& errors)
      : where_(where), errors_(errors), before_(errors.count()) {}
  void error(std::string message) { errors_.add(where_, std::move(message)); }
  bool ok() const { return errors_.count() == before_; }

 private:
  Where where_;
  Errors& errors_;
  std::size_t before_;
};

// Fields of one row, converted; each bad field is reported and replaced by its default.
class Fields : public RowErrors {
 public:
  Fields(const Table& table, const Row& row, Where where, Errors& errors)
      : RowErrors(where, errors), table_(table), row_(row) {}

  std::string_view text(std::string_view column) const { return table_.field(row_, column); }

  std::int64_t whole(std::string_view column, std::int64_t max, std::int64_t fallback = 0) {
    const auto value = text(column);
    if (value.empty()) return fallback;
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size() || out < 0) {
      error(std::string(column) + " " + quoted(value) + " is not a whole number");
      return fallback;
    }
    if (out > max) {
      error(std::string(column) + " " + num(out) + " is more than " + num(max));
      return fallback;
    }
    return out;
  }

  int count(std::string_view column, std::int64_t max = kMaxAxis) {
    return static_cast<int>(whole(column, max));
  }

  double decimal(std::string_view column) {
    const auto value = text(column);
    if (value.empty()) return 0;
    double out = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(out) ||
        out < 0) {
      error(std::string(column) + " " + quoted(value) + " is not a non-negative number");
      return 0;
    }
    return out;
  }

  bool flag(std::string_view column) {
    const auto value = text(column);
    if (value.empty() || value == "no" || value == "false" || value == "0") return false;
    if (value == "yes" || value == "true" || value == "1") return true;
    error(std::string(column) + " " + quoted(value) + " is not yes or no");
    return false;
  }

  std::vector<int> starts(std::string_view column) {
    const auto value = text(column);
    if (value.empty()) return {};
    auto parsed = parse_starts(value);
    if (!parsed) {
      error(std::string(column) + " " + quoted(value) +
            " is not a strictly ascending list of starts (N, A-B or A-B/S)");
      return {};
    }
    return std::move(*parsed);
  }

 private:
  const Table& table_;
  const Row& row_;
};

// ---------------------------------------------------------------------------------------------
// Boards

constexpr Column kBoardColumns[] = {
    {"board", true},
    {"gpus_per_board"},
    {"framebuffer_mb", true},
    {"mixed_size_capable"},
    {"mixed_size_slots"},
    {"mig_capable"},
    {"mig_compute_slices"},
    {"mig_memory_slices"},
    {"idle_watts"},
    {"busy_watts"},
};

struct BoardRow {
  Board board;
  Where where;
};

bool is_board_code(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

std::optional<BoardRow> read_board(const Table& table, const Row& row, Where where,
                                   Errors& errors) {
  Fields f(table, row, where, errors);
  Board b;
  b.name = std::string(f.text("board"));
  if (!is_board_code(b.name)) {
    // The code is the prefix of profile names: "A100D", never "A100-80GB".
    f.error("board " + quoted(b.name) + " is not a GPU code as in profile names ([A-Z0-9]+)");
  }
  b.gpus_per_board = static_cast<int>(f.whole("gpus_per_board", kMaxGpusPerBoard, 1));
  b.framebuffer_mb = f.whole("framebuffer_mb", kMaxFramebufferMb);
  b.mixed_size_capable = f.flag("mixed_size_capable");
  b.mixed_size_slots = f.count("mixed_size_slots");
  b.mig_capable = f.flag("mig_capable");
  b.mig_compute_slices = f.count("mig_compute_slices");
  b.mig_memory_slices = f.count("mig_memory_slices");
  b.idle_watts = f.decimal("idle_watts");
  b.busy_watts = f.decimal("busy_watts");
  if (!f.ok()) return std::nullopt;

  if (b.gpus_per_board < 1) f.error("gpus_per_board must be at least 1");
  if (b.framebuffer_mb < 1) f.error("framebuffer_mb must be more than 0");
  if (b.mixed_size_capable != (b.mixed_size_slots > 0)) {
    f.error(b.mixed_size_capable ? "mixed_size_capable board needs mixed_size_slots > 0"
                                 : "mixed_size_slots given but mixed_size_capable is no");
  }
  if (b.mig_capable != (b.mig_compute_slices > 0) ||
      b.mig_capable != (b.mig_memory_slices > 0)) {
    f.error(b.mig_capable
                ? "mig_capable board needs mig_compute_slices and mig_memory_slices > 0"
                : "MIG slices given but mig_capable is no");
  }
  if (b.idle_watts > b.busy_watts) f.error("idle_watts is more than busy_watts");
  if (!f.ok()) return std::nullopt;
  return BoardRow{std::move(b), where};
}

// ---------------------------------------------------------------------------------------------
// Profiles: what one row says on its own.

constexpr Column kProfileColumns[] = {
    {"board", true},      {"profile", true},      {"series", true},      {"edition"},
    {"framebuffer_mb", true}, {"max_equal_size"}, {"max_mixed_size"},    {"mixed_slots"},
    {"mixed_starts"},     {"mig_profile"},        {"max_mig"},           {"mig_slices"},
    {"mig_starts"},
};

struct ProfileRow {
  Profile profile;       // board index set when resolved
  std::string board_name;
  ProfileName name;
  Where where;
};

struct MigInstance {
  int compute_slices = 0;
  int gb = 0;
  bool media_extension = false;
};

// `<g>g.<N>gb[+me]`, as `nvidia-smi mig -lgip` prints GPU-instance profiles.
std::optional<MigInstance> parse_mig_profile(std::string_view text) {
  MigInstance out;
  if (text.size() >= 3 && text.substr(text.size() - 3) == "+me") {
    out.media_extension = true;
    text.remove_suffix(3);
  }
  const auto g = text.find("g.");
  if (g == std::string_view::npos || text.size() < g + 4 || text.substr(text.size() - 2) != "gb") {
    return std::nullopt;
  }
  const auto number = [](std::string_view digits) -> std::optional<int> {
    int v = 0;
    if (digits.empty() || digits.size() > 4) return std::nullopt;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size() || v < 1) return std::nullopt;
    return v;
  };
  const auto slices = number(text.substr(0, g));
  const auto gb = number(text.substr(g + 2, text.size() - 2 - (g + 2)));
  if (!slices || !gb) return std::nullopt;
  out.compute_slices = *slices;
  out.gb = *gb;
  return out;
}

std::optional<Series> series_from(std::string_view text) {
  if (text.size() != 1) return std::nullopt;
  switch (text[0]) {
    case 'A': return Series::A;
    case 'B': return Series::B;
    case 'C': return Series::C;
    case 'Q': return Series::Q;
    default: return std::nullopt;
  }
}

std::optional<ProfileRow> read_profile(const Table& table, const Row& row, Where where,
                                       Errors& errors) {
  Fields f(table, row, where, errors);
  ProfileRow r;
  r.where = where;
  Profile& p = r.profile;
  r.board_name = std::string(f.text("board"));
  p.name = std::string(f.text("profile"));

  const auto name = parse_profile_name(p.name);
  if (!name || to_string(*name) != p.name) {
    f.error("profile " + quoted(p.name) +
            " is not an NVIDIA vGPU type name (<GPU>-<GB><S> or <GPU>-<g>-<GB><S>[ME])");
  } else {
    r.name = *name;
  }
  const auto series = series_from(f.text("series"));
  if (!series) {
    f.error("series " + quoted(f.text("series")) + " is not one of A, B, C, Q");
  } else {
    p.series = *series;
    p.edition = edition_of(*series);
  }
  if (const auto edition = f.text("edition"); !edition.empty()) {
    const auto e = edition_from_string(edition);
    if (!e) {
      f.error("edition " + quoted(edition) + " is not one of rtx_vws, vpc, vapps, ai_enterprise");
    } else {
      p.edition = *e;
    }
  }
  p.framebuffer_mb = f.whole("framebuffer_mb", kMaxFramebufferMb);
  p.max_equal_size = f.count("max_equal_size");
  p.max_mixed_size = f.count("max_mixed_size");
  const int mixed_slots = f.count("mixed_slots");
  std::vector<int> mixed_starts = f.starts("mixed_starts");
  p.mig_profile = std::string(f.text("mig_profile"));
  p.max_mig = f.count("max_mig");
  const int mig_slices = f.count("mig_slices");
  std::vector<int> mig_starts = f.starts("mig_starts");
  if (!f.ok()) return std::nullopt;

  // The name against the other columns.
  if (p.framebuffer_mb < 1) f.error("framebuffer_mb must be more than 0");
  if (name && r.name.board != r.board_name) {
    f.error("profile " + p.name + " names board " + r.name.board + " but the board column says " +
            r.board_name);
  }
  if (name && r.name.series != p.series) {
    f.error("profile " + p.name + " is series " + std::string(to_string(r.name.series)) +
            " but the series column says " + std::string(to_string(p.series)));
  }
  if (name && r.name.framebuffer_mb() != p.framebuffer_mb) {
    f.error("profile " + p.name + " promises " + num(r.name.framebuffer_mb()) +
            " MB but framebuffer_mb is " + num(p.framebuffer_mb));
  }

  // Placements come as size and starts together.
  const bool has_mixed = mixed_slots > 0 || !mixed_starts.empty();
  if (has_mixed && (mixed_slots < 1 || mixed_starts.empty())) {
    f.error("mixed_slots and mixed_starts go together");
  }
  if (has_mixed) p.mixed_placement = SlotPlacement{mixed_slots, std::move(mixed_starts)};
  const bool has_mig = mig_slices > 0 || !mig_starts.empty();
  if (has_mig && (mig_slices < 1 || mig_starts.empty())) {
    f.error("mig_slices and mig_starts go together");
  }
  if (has_mig) p.mig_placement = SlotPlacement{mig_slices, std::move(mig_starts)};

  if (!p.mig_profile.empty()) {
    const auto mig = parse_mig_profile(p.mig_profile);
    if (!mig) {
      f.error("mig_profile " + quoted(p.mig_profile) + " is not <g>g.<N>gb[+me]");
    } else {
      p.mig_compute_slices = mig->compute_slices;
      if (name && (!r.name.is_mig() || r.name.compute_slices != mig->compute_slices ||
                   r.name.framebuffer_gb != mig->gb ||
                   r.name.media_extension != mig->media_extension)) {
        f.error("mig_profile " + p.mig_profile + " does not match profile " + p.name);
      }
    }
    if (p.max_equal_size > 0 || p.max_mixed_size > 0 || has_mixed) {
      f.error("MIG-backed profile " + p.name + " is offered only in MIG mode (max_equal_size, "
              "max_mixed_size and mixed placements must be empty)");
    }
    if (!has_mig) f.error("MIG-backed profile " + p.name + " needs mig_slices and mig_starts");
    if (p.max_mig < 1) f.error("MIG-backed profile " + p.name + " needs max_mig >= 1");
  } else if (name && r.name.is_mig()) {
    f.error("profile " + p.name + " is MIG-backed but mig_profile is empty");
  } else {
    if (p.max_mig > 0 || has_mig) {
      f.error("time-sliced profile " + p.name + " has MIG columns (max_mig, mig_slices, "
              "mig_starts)");
    }
    if (p.max_equal_size == 0 && p.max_mixed_size == 0) {
      f.error("profile " + p.name + " is offered in no mode (max_equal_size and "
              "max_mixed_size are 0)");
    }
    if ((p.max_mixed_size > 0) != has_mixed) {
      f.error(has_mixed ? "mixed placement given but max_mixed_size is 0"
                        : "max_mixed_size needs mixed_slots and mixed_starts");
    }
  }
  if (!f.ok()) return std::nullopt;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Profiles against their (merged) board.

// Every start on the axis with its run inside it; max not above the number of starts (each
// vGPU of one profile needs its own start).
void check_placement(const SlotPlacement& placement, int axis, std::string_view what,
                     std::string_view axis_name, int max, std::string_view max_column,
                     const Board& board, RowErrors& f) {
  if (placement.size > axis) {
    f.error(std::string(what) + " size " + num(placement.size) + " is more than board " +
            board.name + "'s " + num(axis) + " " + std::string(axis_name));
    return;
  }
  for (const int start : placement.starts) {
    if (start + placement.size > axis) {
      f.error(std::string(what) + " start " + num(start) + " + size " + num(placement.size) +
              " runs past board " + board.name + "'s " + num(axis) + " " +
              std::string(axis_name));
      return;
    }
  }
  if (max > static_cast<int>(placement.starts.size())) {
    f.error(std::string(max_column) + " " + num(max) + " is more than its " +
            num(static_cast<std::int64_t>(placement.starts.size())) + " allowed starts");
  }
}

void check_against_board(const ProfileRow& r, const Board& board, RowErrors& f) {
  const Profile& p = r.profile;
  if (p.framebuffer_mb > board.framebuffer_mb) {
    f.error("framebuffer_mb " + num(p.framebuffer_mb) + " is more than board " + board.name +
            "'s " + num(board.framebuffer_mb) + " per GPU");
    return;
  }
  if (p.is_mig()) {
    if (!board.mig_capable) {
      f.error("MIG-backed profile " + p.name + " on board " + board.name +
              ", which is not MIG capable");
      return;
    }
    if (p.mig_compute_slices > board.mig_compute_slices) {
      f.error("mig_profile " + p.mig_profile + " needs " + num(p.mig_compute_slices) +
              " compute slices, board " + board.name + " has " + num(board.mig_compute_slices));
    }
    if (p.max_mig * p.mig_compute_slices > board.mig_compute_slices) {
      f.error("max_mig " + num(p.max_mig) + " x " + num(p.mig_compute_slices) +
              " compute slices is more than board " + board.name + "'s " +
              num(board.mig_compute_slices));
    }
    check_placement(*p.mig_placement, board.mig_memory_slices, "mig", "memory slices",
                    p.max_mig, "max_mig", board, f);
    return;
  }
  // vgpu.md §2: at most floor(GPU framebuffer / profile framebuffer) per GPU, in either mode.
  const std::int64_t ratio = board.framebuffer_mb / p.framebuffer_mb;
  for (const auto& [max, column] : {std::pair{p.max_equal_size, "max_equal_size"},
                                    std::pair{p.max_mixed_size, "max_mixed_size"}}) {
    if (max > ratio) {
      f.error(std::string(column) + " " + num(max) + " is more than floor(" +
              num(board.framebuffer_mb) + " / " + num(p.framebuffer_mb) + ") = " + num(ratio));
    }
  }
  if (p.mixed_placement) {
    if (!board.mixed_size_capable) {
      f.error("mixed-size placement on board " + board.name +
              ", which is not mixed-size capable");
      return;
    }
    check_placement(*p.mixed_placement, board.mixed_size_slots, "mixed", "slots",
                    p.max_mixed_size, "max_mixed_size", board, f);
  }
}

// ---------------------------------------------------------------------------------------------
// Layers

template <typename RowT>
const std::string& name_of(const RowT& row) {
  if constexpr (std::is_same_v<RowT, BoardRow>) {
    return row.board.name;
  } else {
    return row.profile.name;
  }
}

// Replaces rows of the same name (in place, so shipped positions stay), appends new ones.
// Twice in one file is an error: which of the two was meant is anyone's guess.
template <typename RowT>
void merge_layer(std::vector<RowT>& merged, std::vector<RowT>&& layer, std::string_view what,
                 Errors& errors) {
  std::vector<std::pair<std::string_view, int>> seen;  // name, line in this file
  for (RowT& row : layer) {
    const std::string& name = name_of(row);
    const auto dup = std::find_if(seen.begin(), seen.end(),
                                  [&](const auto& s) { return s.first == name; });
    if (dup != seen.end()) {
      errors.add(row.where, "duplicate " + std::string(what) + " " + quoted(name) +
                                " (first on line " + num(dup->second) + ")");
      continue;
    }
    seen.emplace_back(name, row.where.line);
  }
  for (RowT& row : layer) {
    const auto it = std::find_if(merged.begin(), merged.end(),
                                 [&](const RowT& m) { return name_of(m) == name_of(row); });
    if (it != merged.end()) {
      *it = std::move(row);
    } else {
      merged.push_back(std::move(row));
    }
  }
}

}  // namespace

std::string CatalogError::to_string() const {
  std::string out = source;
  if (line > 0) out += ":" + std::to_string(line);
  return out + ": " + message;
}

std::optional<std::vector<int>> parse_starts(std::string_view text) {
  std::vector<int> out;
  const auto number = [](std::string_view digits) -> std::optional<int> {
    int v = 0;
    if (digits.empty()) return std::nullopt;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size() || v < 0 || v >= kMaxAxis) {
      return std::nullopt;
    }
    return v;
  };
  std::size_t from = 0;
  while (from < text.size()) {
    if (text[from] == ' ' || text[from] == '\t') {
      ++from;
      continue;
    }
    auto end = text.find_first_of(" \t", from);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(from, end - from);
    from = end;

    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      const auto s = number(item.substr(slash + 1));
      if (!s || *s < 1) return std::nullopt;
      step = *s;
      item = item.substr(0, slash);
    }
    const auto dash = item.find('-');
    const auto first = number(item.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : number(item.substr(dash + 1));
    if (!first || !last || *last < *first) return std::nullopt;
    if (dash == std::string_view::npos && step != 1) return std::nullopt;  // "4/2" means nothing
    for (int v = *first; v <= *last; v += step) {
      if (!out.empty() && v <= out.back()) return std::nullopt;
      out.push_back(v);
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

CatalogResult parse_catalog(CatalogText boards, CatalogText profiles) {
  const CatalogLayer layer{boards, profiles};
  return parse_catalog(std::span<const CatalogLayer>(&layer, 1));
}

CatalogResult parse_catalog(std::span<const CatalogLayer> layers) {
  CatalogResult result;
  Errors errors(result.errors);
  std::vector<BoardRow> board_rows;
  std::vector<ProfileRow> profile_rows;

  for (const CatalogLayer& layer : layers) {
    std::vector<BoardRow> boards;
    if (const auto table = read_table(layer.boards, kBoardColumns, errors)) {
      for (const Row& row : table->rows) {
        if (auto b = read_board(*table, row, {layer.boards.source, row.line}, errors)) {
          boards.push_back(std::move(*b));
        }
      }
    }
    merge_layer(board_rows, std::move(boards), "board", errors);

    std::vector<ProfileRow> profiles;
    if (const auto table = read_table(layer.profiles, kProfileColumns, errors)) {
      for (const Row& row : table->rows) {
        if (auto p = read_profile(*table, row, {layer.profiles.source, row.line}, errors)) {
          profiles.push_back(std::move(*p));
        }
      }
    }
    merge_layer(profile_rows, std::move(profiles), "profile", errors);
  }

  std::vector<Board> boards;
  boards.reserve(board_rows.size());
  for (BoardRow& row : board_rows) boards.push_back(std::move(row.board));

  std::vector<Profile> profiles;
  profiles.reserve(profile_rows.size());
  for (ProfileRow& row : profile_rows) {
    const auto board = std::find_if(boards.begin(), boards.end(),
                                    [&](const Board& b) { return b.name == row.board_name; });
    RowErrors f(row.where, errors);
    if (board == boards.end()) {
      f.error("unknown board " + quoted(row.board_name) + " for profile " + row.profile.name);
      continue;
    }
    check_against_board(row, *board, f);
    row.profile.board = static_cast<BoardIndex>(board - boards.begin());
    profiles.push_back(std::move(row.profile));
  }

  if (!result.errors.empty()) return result;
  result.catalog.emplace(std::move(boards), std::move(profiles));
  return result;
}

}  // namespace vgpu::scheduler::vgpu
