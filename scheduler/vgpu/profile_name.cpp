#include "scheduler/vgpu/profile_name.hpp"

#include <algorithm>

namespace vgpu::scheduler::vgpu {

namespace {

bool is_upper_or_digit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// `0|[1-9][0-9]*`, at most 4 digits: no board has 10 TB of framebuffer, and the bound keeps
// the value inside an int.
std::optional<int> parse_gb(std::string_view digits) {
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) return std::nullopt;
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  int value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  return value;
}

std::optional<Series> parse_series(char c) {
  switch (c) {
    case 'A': return Series::A;
    case 'B': return Series::B;
    case 'C': return Series::C;
    case 'Q': return Series::Q;
    default: return std::nullopt;
  }
}

// The name without any prefix or whitespace: <GPU>-<GB><S> or <GPU>-<g>-<GB><S>[ME].
std::optional<ProfileName> parse_bare(std::string_view text) {
  ProfileName out;
  const auto dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const std::string_view board = text.substr(0, dash);
  if (!std::all_of(board.begin(), board.end(), is_upper_or_digit)) return std::nullopt;
  out.board = std::string(board);
  std::string_view rest = text.substr(dash + 1);

  // MIG-backed: a single digit 1-9 and a second dash.
  if (rest.size() >= 2 && rest[1] == '-') {
    if (rest[0] < '1' || rest[0] > '9') return std::nullopt;
    out.compute_slices = rest[0] - '0';
    rest.remove_prefix(2);
    if (rest.size() >= 2 && rest.substr(rest.size() - 2) == "ME") {
      out.media_extension = true;
      rest.remove_suffix(2);
    }
  }
  if (rest.size() < 2) return std::nullopt;
  const auto series = parse_series(rest.back());
  const auto gb = parse_gb(rest.substr(0, rest.size() - 1));
  if (!series || !gb) return std::nullopt;
  out.series = *series;
  out.framebuffer_gb = *gb;
  return out;
}

std::string upper_underscored(std::string_view prefix, const ProfileName& name) {
  std::string out(prefix);
  for (const char c : to_string(name)) out.push_back(c == '-' ? '_' : c);
  return out;
}

std::optional<ProfileName> from_nova(std::string_view prefix, std::string_view text) {
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string name(text.substr(prefix.size()));
  // Board codes and the rest of a name hold no '_' and no '-', so the mapping is one to one;
  // a '-' already in the trait is not Nova's spelling.
  if (name.find('-') != std::string::npos) return std::nullopt;
  std::replace(name.begin(), name.end(), '_', '-');
  return parse_bare(name);
}

}  // namespace

std::int64_t ProfileName::framebuffer_mb() const {
  return framebuffer_gb == 0 ? 512 : std::int64_t{framebuffer_gb} * 1024;
}

std::optional<ProfileName> parse_profile_name(std::string_view text) {
  text = trim(text);
  for (const std::string_view prefix : {std::string_view("NVIDIA "), std::string_view("GRID ")}) {
    if (text.substr(0, prefix.size()) == prefix) {
      text.remove_prefix(prefix.size());
      break;
    }
  }
  return parse_bare(text);
}

std::string to_string(const ProfileName& name) {
  std::string out = name.board;
  out.push_back('-');
  if (name.is_mig()) {
    out += std::to_string(name.compute_slices);
    out.push_back('-');
  }
  out += std::to_string(name.framebuffer_gb);
  out += to_string(name.series);
  if (name.media_extension) out += "ME";
  return out;
}

std::string nova_trait(const ProfileName& name) {
  return upper_underscored(kNovaTraitPrefix, name);
}

std::string nova_resource_class(const ProfileName& name) {
  return upper_underscored(kNovaResourceClassPrefix, name);
}

std::optional<ProfileName> profile_from_nova_trait(std::string_view trait) {
  return from_nova(kNovaTraitPrefix, trait);
}

std::optional<ProfileName> profile_from_nova_resource_class(std::string_view resource_class) {
  return from_nova(kNovaResourceClassPrefix, resource_class);
}

}  // namespace vgpu::scheduler::vgpu
