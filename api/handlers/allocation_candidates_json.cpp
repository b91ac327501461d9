#include "api/handlers/allocation_candidates_json.hpp"

#include <algorithm>
#include <charconv>

#include "scheduler/search/search.hpp"

namespace vgpu::api {
namespace {

using scheduler::Provider;
using scheduler::search::AllocationPart;
using scheduler::search::Candidate;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void raw(std::string_view s) { out_ += s; }
  void str(std::string_view s) {
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') { out_ += '\\'; out_ += c; }
      else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out_ += buf;
      } else out_ += c;
    }
    out_ += '"';
  }
  void num(std::int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void key(std::string_view k) { str(k); out_ += ": "; }

 private:
  std::string& out_;
};

const std::string& class_name(const Context& ctx, scheduler::ClassId id) {
  static const std::string unknown = "UNKNOWN";
  const std::string* n = ctx.state->classes().name_of(id);
  return n ? *n : unknown;
}

void write_request(const Context& ctx, Writer& w, const Candidate& c,
                   const std::vector<std::string>& suffixes) {
  const auto& state = *ctx.state;
  // allocations come sorted by provider: one entry per provider.
  if (ctx.at_least(1, 12)) {
    w.raw("{\"allocations\": {");
    for (std::size_t i = 0; i < c.allocations.size();) {
      const auto pid = c.allocations[i].provider;
      if (i) w.raw(", ");
      w.key(state.provider(pid)->uuid.str());
      w.raw("{\"resources\": {");
      for (bool first = true; i < c.allocations.size() && c.allocations[i].provider == pid; ++i, first = false) {
        if (!first) w.raw(", ");
        w.key(class_name(ctx, c.allocations[i].resource_class));
        w.num(c.allocations[i].amount);
      }
      w.raw("}}");
    }
    w.raw("}");
    if (ctx.at_least(1, 34)) {
      w.raw(", \"mappings\": {");
      for (std::size_t g = 0; g < c.mappings.size(); ++g) {
        if (g) w.raw(", ");
        w.key(suffixes[g]);
        w.raw("[");
        for (std::size_t j = 0; j < c.mappings[g].size(); ++j) {
          if (j) w.raw(", ");
          w.str(state.provider(c.mappings[g][j])->uuid.str());
        }
        w.raw("]");
      }
      w.raw("}");
    }
    w.raw("}");
    return;
  }
  w.raw("{\"allocations\": [");
  for (std::size_t i = 0; i < c.allocations.size();) {
    const auto pid = c.allocations[i].provider;
    if (i) w.raw(", ");
    w.raw("{\"resource_provider\": {\"uuid\": ");
    w.str(state.provider(pid)->uuid.str());
    w.raw("}, \"resources\": {");
    for (bool first = true; i < c.allocations.size() && c.allocations[i].provider == pid; ++i, first = false) {
      if (!first) w.raw(", ");
      w.key(class_name(ctx, c.allocations[i].resource_class));
      w.num(c.allocations[i].amount);
    }
    w.raw("}}");
  }
  w.raw("]}");
}

void write_summary(const Context& ctx, Writer& w, const Provider& p,
                   const std::vector<scheduler::ClassId>& requested) {
  const auto& state = *ctx.state;
  const bool all_classes = ctx.at_least(1, 27);
  w.key(p.uuid.str());
  w.raw("{\"resources\": {");
  bool first = true;
  for (const auto& [rc, inv] : p.inventories) {
    if (!all_classes && !std::binary_search(requested.begin(), requested.end(), rc)) continue;
    if (!first) w.raw(", ");
    first = false;
    w.key(class_name(ctx, rc));
    w.raw("{\"capacity\": ");
    w.num(inv.capacity());
    w.raw(", \"used\": ");
    const std::int64_t* used = p.usage.find(rc);
    w.num(used ? *used : 0);
    w.raw("}");
  }
  w.raw("}");
  if (ctx.at_least(1, 17)) {
    std::vector<std::string> names;
    for (auto t : p.traits)
      if (const std::string* n = state.traits().name_of(t)) names.push_back(*n);
    // In trait id order (standard traits first), as upstream's query returns them.
    w.raw(", \"traits\": [");
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) w.raw(", ");
      w.str(names[i]);
    }
    w.raw("]");
  }
  if (ctx.at_least(1, 29)) {
    w.raw(", \"parent_provider_uuid\": ");
    const Provider* parent = p.parent == scheduler::kNoProvider ? nullptr : state.provider(p.parent);
    if (parent) w.str(parent->uuid.str());
    else w.raw("null");
    w.raw(", \"root_provider_uuid\": ");
    const Provider* root = state.provider(p.root);
    w.str(root ? root->uuid.str() : p.uuid.str());
  }
  w.raw("}");
}

}  // namespace

std::string candidates_json(const Context& ctx, const std::vector<Candidate>& candidates,
                            const std::vector<scheduler::ClassId>& requested_classes,
                            const std::vector<std::string>& suffixes) {
  std::string out;
  out.reserve(256 + candidates.size() * 256);
  Writer w(out);
  w.raw("{\"allocation_requests\": [");
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i) w.raw(", ");
    write_request(ctx, w, candidates[i], suffixes);
  }
  w.raw("], \"provider_summaries\": {");
  const auto providers =
      scheduler::search::summary_providers(*ctx.state, candidates, ctx.at_least(1, 29));
  for (std::size_t i = 0; i < providers.size(); ++i) {
    if (i) w.raw(", ");
    write_summary(ctx, w, *providers[i], requested_classes);
  }
  w.raw("}}");
  return out;
}

}  // namespace vgpu::api
