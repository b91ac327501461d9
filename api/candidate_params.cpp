#include "api/candidate_params.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "api/api_error.hpp"
#include "api/errors.hpp"
#include "api/handler_util.hpp"
#include "api/request_hints.hpp"
#include "api/request_params.hpp"
#include "api/text.hpp"

namespace vgpu::api {
namespace {

using scheduler::search::GroupRequest;
using scheduler::search::ResourceAmount;

constexpr const char* kGroupPat = "[1-9][0-9]*";
constexpr const char* kGroupPat133 = "[a-zA-Z0-9_-]{1,64}";

const JsonSchema& query_schema(const Context& ctx) {
  auto make = [](int minor) {
    std::string props;
    auto add = [&](const std::string& p) { props += (props.empty() ? "" : ", ") + p; };
    std::string pattern_props;
    if (minor < 25) {
      add(R"("resources": {"type": "string"})");
      if (minor >= 17) add(R"("required": {"type": "string"})");
      if (minor >= 21) add(R"("member_of": {"type": "string"})");
    } else {
      const std::string pat = minor >= 33 ? kGroupPat133 : kGroupPat;
      std::vector<std::string> keys = {"resources", "required", "member_of"};
      if (minor >= 31) keys.push_back("in_tree");
      for (const auto& k : keys)
        pattern_props += (pattern_props.empty() ? "" : ", ") + std::string("\"^") + k + "(" + pat +
                         R"()?$": {"type": "string"})";
      add(R"("group_policy": {"type": "string", "enum": ["none", "isolate"]})");
    }
    if (minor >= 16)
      add(R"("limit": {"type": ["integer", "string"], "pattern": "^[1-9][0-9]*$", "minimum": 1, "minLength": 1})");
    if (minor >= 35) add(R"("root_required": {"type": ["string"]})");
    if (minor >= 36) add(R"("same_subtree": {"type": ["string"]})");
    std::string s = R"({"type": "object", "properties": {)" + props + "}";
    if (!pattern_props.empty()) s += R"(, "patternProperties": {)" + pattern_props + "}";
    if (minor < 25) s += R"(, "required": ["resources"])";
    return s + R"(, "additionalProperties": false})";
  };
  static const JsonSchema v10(make(10)), v16(make(16)), v17(make(17)), v21(make(21)),
      v25(make(25)), v31(make(31)), v33(make(33)), v35(make(35)), v36(make(36));
  if (ctx.at_least(1, 36)) return v36;
  if (ctx.at_least(1, 35)) return v35;
  if (ctx.at_least(1, 33)) return v33;
  if (ctx.at_least(1, 31)) return v31;
  if (ctx.at_least(1, 25)) return v25;
  if (ctx.at_least(1, 21)) return v21;
  if (ctx.at_least(1, 17)) return v17;
  if (ctx.at_least(1, 16)) return v16;
  return v10;
}

// Python's repr of a list of strings: ['a', 'b'].
std::string py_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", '" : "'") + items[i] + "'";
  return out + "]";
}

struct ParsedGroup {
  std::string suffix;
  std::vector<std::pair<std::string, std::int64_t>> resources;
  TraitNames traits;
  scheduler::AggregateRule aggregates;
  std::optional<scheduler::Uuid> in_tree;
};

struct WideParams {
  std::optional<std::size_t> limit;
  std::optional<std::string> group_policy;
  std::optional<TraitNames> root_required;
  std::vector<std::vector<std::string>> same_subtrees;  // as given, deduplicated per value
};

WideParams parse_wide(const Context& ctx) {
  WideParams w;
  if (auto limits = ctx.query.get_all("limit"); !limits.empty())
    w.limit = static_cast<std::size_t>(std::stoull(limits.front()));
  if (auto gp = ctx.query.get_all("group_policy"); !gp.empty()) w.group_policy = gp.front();
  const auto roots = ctx.query.get_all("root_required");
  if (!roots.empty()) {
    if (roots.size() > 1)
      throw bad_request("Query parameter 'root_required' may be specified only once.",
                        code::kQueryDuplicateKey);
    TraitNames names;
    std::vector<std::string> conflicts;
    std::set<std::string> required;
    for (const std::string& raw : split(roots.front(), ',')) {
      const std::string t = strip(raw);
      if (t.empty() || t == "!")
        throw bad_request("Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. Got an empty trait in: " + roots.front());
      if (t[0] == '!') names.forbidden.insert(t.substr(1));
      else required.insert(t);
    }
    for (const auto& r : required) {
      if (names.forbidden.count(r)) conflicts.push_back(r);
      names.required_any.push_back({r});
    }
    if (!conflicts.empty()) {
      std::string list;
      for (const auto& c : conflicts) list += (list.empty() ? "" : ", ") + c;
      throw bad_request("Conflicting required and forbidden traits found in root_required: " + list,
                        code::kQueryBadValue);
    }
    w.root_required = std::move(names);
  }
  for (const std::string& val : ctx.query.get_all("same_subtree")) {
    std::vector<std::string> suffixes;
    for (const std::string& raw : split(val, ',')) {
      const std::string s = strip(raw);
      if (s.empty())
        throw bad_request("Empty string (unsuffixed group) can not be specified in `same_subtree` ",
                          code::kQueryBadValue);
      if (std::find(suffixes.begin(), suffixes.end(), s) == suffixes.end()) suffixes.push_back(s);
    }
    w.same_subtrees.push_back(std::move(suffixes));
  }
  return w;
}

std::vector<ParsedGroup> parse_groups(const Context& ctx) {
  const std::regex key_pattern(std::string("^(resources|required|member_of|in_tree)(") +
                               (ctx.at_least(1, 33) ? kGroupPat133 : kGroupPat) + ")?$");
  std::vector<ParsedGroup> groups;
  for (const auto& [key, value] : ctx.query.items()) {
    std::smatch m;
    if (!std::regex_match(key, m, key_pattern)) continue;
    const std::string prefix = m[1].str();
    const std::string suffix = m[2].matched ? m[2].str() : "";
    auto it = std::find_if(groups.begin(), groups.end(), [&](const ParsedGroup& g) { return g.suffix == suffix; });
    if (it == groups.end()) {
      groups.push_back({suffix, {}, {}, {}, {}});
      it = groups.end() - 1;
    }
    if (prefix == "resources") it->resources = parse_resources(value);
    else if (prefix == "required") it->traits = parse_required(ctx, suffix);
    else if (prefix == "member_of") it->aggregates = parse_member_of(ctx, suffix);
    else it->in_tree = parse_in_tree(value);
  }
  return groups;
}

void check_groups(const Context& ctx, const std::vector<ParsedGroup>& groups, const WideParams& w) {
  if (ctx.at_least(1, 36)) {
    std::set<std::string> subtree;
    for (const auto& s : w.same_subtrees) subtree.insert(s.begin(), s.end());
    std::vector<std::string> resourceless;
    for (const auto& g : groups)
      if (g.resources.empty()) resourceless.push_back(g.suffix);
    if (resourceless.size() == groups.size())
      throw bad_request("There must be at least one resources or resources[$S] parameter.",
                        code::kQueryMissingValue);
    std::vector<std::string> bad;
    for (const auto& s : resourceless)
      if (!subtree.count(s)) bad.push_back(s);
    if (!bad.empty())
      throw bad_request("Resourceless suffixed group request should be specified in `same_subtree` query param: bad group(s) - " + py_list(bad) + ".",
                        code::kQueryBadValue);
    std::vector<std::string> missing, all;
    for (const auto& g : groups) all.push_back(g.suffix);
    for (const auto& s : w.same_subtrees)
      for (const auto& x : s)
        if (std::find(all.begin(), all.end(), x) == all.end() &&
            std::find(missing.begin(), missing.end(), x) == missing.end())
          missing.push_back(x);
    if (!missing.empty())
      throw bad_request("Real suffixes should be specified in `same_subtree`: " + py_list(missing) +
                            " not found in " + py_list(all) + ".",
                        code::kQueryBadValue);
  } else {
    std::string orphans;
    for (const auto& g : groups)
      if (!g.traits.required_any.empty() && g.resources.empty())
        orphans += (orphans.empty() ? "required" : ", required") + g.suffix;
    if (!orphans.empty())
      throw bad_request("All traits parameters must be associated with resources.  Found the following orphaned traits keys: " + orphans);
    for (const auto& g : groups)
      if (g.resources.empty() && !g.aggregates.empty())
        orphans += (orphans.empty() ? "member_of" : ", member_of") + g.suffix;
    if (!orphans.empty())
      throw bad_request("All member_of parameters must be associated with resources. Found the following orphaned member_of keys: " + orphans);
    for (const auto& g : groups)
      if (g.resources.empty()) throw bad_request("All request groups must specify resources.");
    if (groups.empty())
      throw bad_request("At least one request group (`resources` or `resources{$S}`) is required.");
  }
  if (ctx.at_least(1, 22)) {
    std::vector<std::string> conflicting;
    for (const auto& g : groups)
      for (const auto& any : g.traits.required_any)
        if (std::all_of(any.begin(), any.end(), [&](const std::string& t) { return g.traits.forbidden.count(t) > 0; })) {
          std::string names;
          for (const auto& t : any) names += (names.empty() ? "" : ", ") + t;
          conflicting.push_back("required" + g.suffix + ": (" + names + ")");
        }
    if (!conflicting.empty()) {
      std::sort(conflicting.begin(), conflicting.end());
      std::string list;
      for (const auto& c : conflicting) list += (list.empty() ? "" : ", ") + c;
      throw bad_request("Conflicting required and forbidden traits found in the following traits keys: " + list);
    }
  }
  if (!w.group_policy) {
    const auto numbered = std::count_if(groups.begin(), groups.end(), [](const ParsedGroup& g) { return !g.suffix.empty(); });
    if (numbered > 1)
      throw bad_request("The \"group_policy\" parameter is required when specifying more than one \"resources{N}\" parameter.");
  }
}

}  // namespace

CandidateQuery parse_candidate_query(const Context& ctx) {
  check_accept_json(ctx);
  validate_query(ctx, query_schema(ctx));
  WideParams wide = parse_wide(ctx);
  std::vector<ParsedGroup> groups = parse_groups(ctx);
  check_groups(ctx, groups, wide);
  // After the checks, so that a misused hint gets upstream's errors (an orphaned `requiredN`).
  bool spread = false;
  for (ParsedGroup& g : groups) spread = take_spread_hint(g.traits) || spread;
  if (wide.root_required) spread = take_spread_hint(*wide.root_required) || spread;

  CandidateQuery out;
  auto& req = out.request;
  req.limit = wide.limit;
  req.isolate = wide.group_policy && *wide.group_policy == "isolate";
  req.nested_aware = ctx.at_least(1, 29);
  req.prefer_spread = spread;
  if (wide.root_required) req.root_required = resolve_traits(ctx, *wide.root_required, "");
  for (const ParsedGroup& g : groups) {
    GroupRequest gr;
    gr.suffix = g.suffix;
    gr.same_provider = !g.suffix.empty();
    for (const auto& [name, amount] : g.resources) {
      auto id = ctx.state->classes().id_of(name);
      if (!id)
        throw bad_request("Invalid resource class in resources parameter: No such resource class " + name + ".");
      gr.resources.push_back({*id, amount});
      out.requested_classes.push_back(*id);
    }
    std::sort(gr.resources.begin(), gr.resources.end(),
              [](const ResourceAmount& a, const ResourceAmount& b) { return a.resource_class < b.resource_class; });
    gr.aggregates = g.aggregates;
    gr.traits = resolve_traits(ctx, g.traits, "");
    if (g.in_tree) {
      if (const scheduler::Provider* p = ctx.state->provider(*g.in_tree)) gr.in_tree_root = p->root;
      else out.empty_result = true;
    }
    req.groups.push_back(std::move(gr));
  }
  for (const auto& names : wide.same_subtrees) {
    std::vector<std::size_t> idx;
    for (const auto& s : names)
      for (std::size_t i = 0; i < groups.size(); ++i)
        if (groups[i].suffix == s) idx.push_back(i);
    req.same_subtree.push_back(std::move(idx));
  }
  std::sort(out.requested_classes.begin(), out.requested_classes.end());
  out.requested_classes.erase(std::unique(out.requested_classes.begin(), out.requested_classes.end()),
                              out.requested_classes.end());
  return out;
}

}  // namespace vgpu::api
