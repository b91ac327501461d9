// /traits, /traits/{name} and /resource_providers/{uuid}/traits (1.6+).
#include <algorithm>
#include <unordered_set>

#include "api/handler_util.hpp"
#include "api/routes.hpp"
#include "scheduler/names/standard_names.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

using scheduler::Provider;
using scheduler::TraitId;

const JsonSchema& list_schema() {
  static const JsonSchema s(R"({"type": "object", "properties": {"name": {"type": "string"},
      "associated": {"type": "string"}}, "additionalProperties": false})");
  return s;
}

const JsonSchema& set_schema() {
  static const JsonSchema s(R"({"type": "object", "properties": {
      "traits": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 255}},
      "resource_provider_generation": {"type": "integer"}},
      "required": ["traits", "resource_provider_generation"], "additionalProperties": false})");
  return s;
}

bool is_standard(std::string_view name) {
  static const std::unordered_set<std::string_view> kStandard(
      scheduler::standard_traits().begin(), scheduler::standard_traits().end());
  return kStandard.count(name) > 0;
}

const std::string kGenerationChanged =
    "Resource provider's generation already changed. Please update the generation and try again.";

Response list_traits(Context& ctx) {
  check_accept_json(ctx);
  validate_query(ctx, list_schema());
  std::optional<std::vector<std::string>> name_in;
  std::optional<std::string> prefix;
  if (const std::string* name = ctx.query.get("name")) {
    const auto colon = name->find(':');
    if (colon == std::string::npos)
      throw bad_request("Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: \"" + *name + "\"");
    const std::string op = name->substr(0, colon), value = name->substr(colon + 1);
    if (op == "in") {
      name_in.emplace();
      std::size_t start = 0;
      while (true) {
        const auto comma = value.find(',', start);
        name_in->push_back(value.substr(start, comma == std::string::npos ? comma : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (op == "startswith") {
      prefix = value;
    }
  }
  std::optional<bool> associated;
  if (const std::string* a = ctx.query.get("associated")) {
    std::string lower = *a;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower != "true" && lower != "false")
      throw bad_request("The query parameter \"associated\" only accepts \"true\" or \"false\"");
    associated = lower == "true";
  }
  std::unordered_set<TraitId> used;
  if (associated) {
    for (const Provider* p : ctx.state->providers()) used.insert(p->traits.begin(), p->traits.end());
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, id] : ctx.state->traits().sorted_by_name()) {
    if (name_in && std::find(name_in->begin(), name_in->end(), name) == name_in->end()) continue;
    if (prefix && name.compare(0, prefix->size(), *prefix) != 0) continue;
    if (associated && (used.count(id) > 0) != *associated) continue;
    list.push_back(name);
  }
  Response r = json_response(200, {{"traits", std::move(list)}});
  set_cache_headers(ctx, r, now_unix());
  return r;
}

Response show_trait(Context& ctx) {
  const std::string& name = ctx.param("name");
  if (!ctx.state->traits().id_of(name)) throw not_found("No such trait(s): " + name + ".");
  Response r = empty_response(204);
  set_cache_headers(ctx, r, now_unix());
  return r;
}

Response put_trait(Context& ctx) {
  const std::string& name = ctx.param("name");
  if (!scheduler::is_valid_custom_name(name))
    throw bad_request("The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix \"CUSTOM_\" and use following characters: \"A\"-\"Z\", \"0\"-\"9\" and \"_\"");
  int status = 204;
  if (!ctx.state->traits().id_of(name)) {
    scheduler::ChangeSet changes;
    changes.add(scheduler::AddTrait{name});
    try {
      ctx.store.commit(changes);
      status = 201;
    } catch (const store::Conflict& c) {
      if (c.kind != store::ConflictKind::kDuplicateName) throw;  // someone just created it
    }
  }
  Response r = empty_response(status);
  r.set_header("Location", absolute_url(ctx, "/traits/" + name));
  set_cache_headers(ctx, r, now_unix());
  return r;
}

Response delete_trait(Context& ctx) {
  const std::string& name = ctx.param("name");
  const auto id = ctx.state->traits().id_of(name);
  if (!id) throw not_found("No such trait(s): " + name + ".");
  if (is_standard(name)) throw bad_request("Cannot delete standard trait " + name + ".");
  const auto in_use = [&] { return conflict("The trait " + name + " is in use by a resource provider."); };
  if (ctx.state->trait_in_use(*id)) throw in_use();
  scheduler::ChangeSet changes;
  changes.add(scheduler::RemoveTrait{*id});
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict&) {
    throw in_use();
  }
  return empty_response(204);
}

Response send_provider_traits(const Context& ctx, const Provider& p) {
  nlohmann::json names = nlohmann::json::array();
  std::vector<std::string> sorted;
  for (TraitId t : p.traits) sorted.push_back(*ctx.state->traits().name_of(t));
  std::sort(sorted.begin(), sorted.end());
  for (auto& n : sorted) names.push_back(std::move(n));
  Response r = json_response(200, {{"traits", std::move(names)},
                                   {"resource_provider_generation", p.generation}});
  set_cache_headers(ctx, r, now_unix());
  return r;
}

const Provider& commit_traits(Context& ctx, const Provider& p, std::vector<TraitId> traits) {
  Provider next = p;
  next.traits = std::move(traits);
  return commit_provider(ctx, p, std::move(next),
                         {scheduler::kProviderTraits, kGenerationChanged, code::kConcurrentUpdate,
                          true, "No such trait: a trait was deleted while this request ran"});
}

Response list_provider_traits(Context& ctx) {
  check_accept_json(ctx);
  const std::string& uuid = ctx.param("uuid");
  return send_provider_traits(
      ctx, provider_from_path(ctx, "No resource provider with uuid " + uuid +
                                       " found: No resource provider with uuid " + uuid + " found"));
}

Response set_provider_traits(Context& ctx) {
  require_json_content(ctx);
  const nlohmann::json data = parse_body(ctx, set_schema());
  const Provider& p = provider_from_path(ctx);
  if (data["resource_provider_generation"].get<std::int64_t>() != p.generation)
    throw conflict(kGenerationChanged, code::kConcurrentUpdate);
  std::vector<TraitId> ids;
  std::string missing;
  for (const auto& t : data["traits"]) {
    const std::string name = t.get<std::string>();
    if (auto id = ctx.state->traits().id_of(name)) ids.push_back(*id);
    else missing += (missing.empty() ? "" : ", ") + name;
  }
  if (!missing.empty()) throw bad_request("No such trait " + missing);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return send_provider_traits(ctx, commit_traits(ctx, p, std::move(ids)));
}

Response delete_provider_traits(Context& ctx) {
  commit_traits(ctx, provider_from_path(ctx), {});
  return empty_response(204);
}

}  // namespace

void add_trait_routes(Router& router) {
  const Version v1_6{1, 6};
  router.add({"/traits", "GET", list_traits, v1_6});
  router.add({"/traits/{name}", "GET", show_trait, v1_6});
  router.add({"/traits/{name}", "PUT", put_trait, v1_6});
  router.add({"/traits/{name}", "DELETE", delete_trait, v1_6});
  router.add({"/resource_providers/{uuid}/traits", "GET", list_provider_traits, v1_6});
  router.add({"/resource_providers/{uuid}/traits", "PUT", set_provider_traits, v1_6});
  router.add({"/resource_providers/{uuid}/traits", "DELETE", delete_provider_traits, v1_6});
}

}  // namespace vgpu::api
