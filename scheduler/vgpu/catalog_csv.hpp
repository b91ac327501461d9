#pragma once
// Builds a Catalog from two CSV texts, a boards table and a profiles table. Reading the files is
// the caller's job (scheduler/ does no I/O): pass the text and a source name for messages.
//
// Format: the first line that is not blank or a `#` comment is the header; it names the
// columns, in any order. Fields are separated by commas, trimmed, never quoted. Every row has
// exactly as many fields as the header. An empty field takes the column's default.
//
// Boards columns (required: board, framebuffer_mb):
//   board                 GPU code as in profile names: A40, A100D ([A-Z0-9]+)
//   gpus_per_board        default 1
//   framebuffer_mb        per GPU
//   mixed_size_capable    yes/no (also true/false, 1/0); default no
//   mixed_size_slots      slot axis of mixed-size placements; > 0 exactly when capable
//   mig_capable           yes/no; default no
//   mig_compute_slices    > 0 exactly when MIG capable
//   mig_memory_slices     > 0 exactly when MIG capable
//   idle_watts, busy_watts  per GPU, decimals; default 0
// Profiles columns (required: board, profile, series, framebuffer_mb):
//   board, profile        the profile's name must parse (profile_name.hpp) and agree with
//                         board, series and framebuffer_mb (GB x 1024; 0 GB = 512 MB)
//   series                A, B, C or Q
//   edition               rtx_vws, vpc, vapps, ai_enterprise; default: the series' edition
//   framebuffer_mb        at most the board's per-GPU framebuffer
//   max_equal_size        max per GPU in equal-size mode; 0/empty: not offered there
//   max_mixed_size        max per GPU in mixed-size mode; needs mixed_slots and mixed_starts
//   mixed_slots           size of a vGPU on the board's mixed-size slot axis
//   mixed_starts          allowed starts on that axis
//   mig_profile           GPU-instance profile, `<g>g.<N>gb[+me]`; only for MIG-backed names
//   max_mig               max per GPU in MIG mode
//   mig_slices            memory slices the GPU instance occupies
//   mig_starts            valid starts on the memory-slice axis
// Starts: space-separated items, each `N`, `A-B` (every integer) or `A-B/S` (A, A+S, ... <= B),
// strictly ascending overall: `0-40/8` is 0 8 16 24 32 40; `0 4` is 0 and 4.
// Time-sliced maxima may not exceed floor(GPU framebuffer / profile framebuffer) (vgpu.md §2).
// MIG maxima are checked against the slices instead (names are nominal: 4 x 1g.24gb on a 94 GB
// H100 NVL), and every start + size must stay on the axis.
//
// Layers: the shipped catalog is layer 0; an operator file is a later layer. A row of a later
// layer replaces the row of the same name (keeping its position), new names are added, for
// boards and profiles alike. A name twice in one file is an error. Cross-row rules (a profile's
// board exists, fits, is capable) are checked after merging, against the merged boards.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::vgpu {

struct CatalogError {
  std::string source;  // as passed in CatalogText
  int line = 0;        // 1-based line of the text; 0 when no line is to blame
  std::string message;
  // "catalog.csv:12: max_equal_size \"x\" is not a whole number"
  std::string to_string() const;
};

struct CatalogText {
  std::string_view source;  // a file name, for messages
  std::string_view text;    // empty: no rows
};

struct CatalogLayer {
  CatalogText boards;
  CatalogText profiles;
};

// Either a catalog or every error found (not only the first): an operator fixes a file in one go.
struct CatalogResult {
  std::optional<Catalog> catalog;
  std::vector<CatalogError> errors;
  bool ok() const { return catalog.has_value(); }
};

CatalogResult parse_catalog(CatalogText boards, CatalogText profiles);
// Later layers override earlier ones by name (see above).
CatalogResult parse_catalog(std::span<const CatalogLayer> layers);

// `A-B/S` lists as described above; nullopt when the text is not such a list or not strictly
// ascending. Exposed for tests and for tools that print placements.
std::optional<std::vector<int>> parse_starts(std::string_view text);

}  // namespace vgpu::scheduler::vgpu
