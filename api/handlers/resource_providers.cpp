// /resource_providers and /resource_providers/{uuid}: list with filters, create, show, update
// (rename, re-parent), delete.
#include "api/handler_util.hpp"
#include "api/handlers/provider_json.hpp"
#include "api/request_params.hpp"
#include "api/routes.hpp"
#include "scheduler/names/standard_names.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

using scheduler::Provider;
using scheduler::Uuid;

constexpr std::string_view kParentProperty = R"("parent_provider_uuid": {"anyOf": [
    {"type": "string", "format": "uuid"}, {"type": "null"}]})";

std::string provider_schema(bool with_uuid, bool with_parent) {
  std::string props = R"("name": {"type": "string", "maxLength": 200})";
  if (with_uuid) props += R"(, "uuid": {"type": "string", "format": "uuid"})";
  if (with_parent) props += ", " + std::string(kParentProperty);
  return R"({"type": "object", "properties": {)" + props +
         R"(}, "required": ["name"], "additionalProperties": false})";
}

const JsonSchema& post_schema(const Context& ctx) {
  static const JsonSchema v1_0(provider_schema(true, false));
  static const JsonSchema v1_14(provider_schema(true, true));
  return ctx.at_least(1, 14) ? v1_14 : v1_0;
}

const JsonSchema& put_schema(const Context& ctx) {
  static const JsonSchema v1_0(provider_schema(false, false));
  static const JsonSchema v1_14(provider_schema(false, true));
  return ctx.at_least(1, 14) ? v1_14 : v1_0;
}

const JsonSchema& list_schema(const Context& ctx) {
  auto make = [](bool member_of, bool resources, bool in_tree, bool required) {
    std::string p = R"("name": {"type": "string"}, "uuid": {"type": "string", "format": "uuid"})";
    if (member_of) p += R"(, "member_of": {"type": "string"})";
    if (resources) p += R"(, "resources": {"type": "string"})";
    if (in_tree) p += R"(, "in_tree": {"type": "string", "format": "uuid"})";
    if (required) p += R"(, "required": {"type": "string"})";
    return R"({"type": "object", "properties": {)" + p + R"(}, "additionalProperties": false})";
  };
  static const JsonSchema v1_0(make(false, false, false, false));
  static const JsonSchema v1_3(make(true, false, false, false));
  static const JsonSchema v1_4(make(true, true, false, false));
  static const JsonSchema v1_14(make(true, true, true, false));
  static const JsonSchema v1_18(make(true, true, true, true));
  if (ctx.at_least(1, 18)) return v1_18;
  if (ctx.at_least(1, 14)) return v1_14;
  if (ctx.at_least(1, 4)) return v1_4;
  if (ctx.at_least(1, 3)) return v1_3;
  return v1_0;
}

std::string location_of(const Provider& p) { return "/resource_providers/" + p.uuid.str(); }

Response show(const Context& ctx, const Provider& p, int status) {
  Response r = json_response(status, provider_json(ctx, p));
  set_cache_headers(ctx, r, p.updated_at ? p.updated_at : p.created_at);
  return r;
}

Response list_providers(Context& ctx) {
  check_accept_json(ctx);
  validate_query(ctx, list_schema(ctx));
  scheduler::ProviderFilter filter;
  if (auto* name = ctx.query.get("name")) filter.name = *name;
  if (auto* uuid = ctx.query.get("uuid")) filter.uuid = Uuid::parse(*uuid);
  if (ctx.query.has("member_of")) filter.aggregates = parse_member_of(ctx);
  if (ctx.query.has("required"))
    filter.traits = resolve_traits(ctx, parse_required(ctx), "Invalid trait(s) in \"required\" parameter: ");
  bool empty_result = false;
  if (auto* in_tree = ctx.query.get("in_tree")) {
    const Provider* p = ctx.state->provider(parse_in_tree(*in_tree));
    if (p) filter.in_tree_root = p->root;
    else empty_result = true;
  }
  if (auto* resources = ctx.query.get("resources")) {
    for (const auto& [name, amount] : parse_resources(*resources)) {
      auto id = ctx.state->classes().id_of(name);
      if (!id)
        throw bad_request("Invalid resource class in resources parameter: No such resource class " + name + ".");
      filter.resources.emplace_back(*id, amount);
    }
  }
  nlohmann::json list = nlohmann::json::array();
  std::int64_t modified = 0;
  if (!empty_result) {
    for (const Provider* p : scheduler::find_providers(*ctx.state, filter)) {
      list.push_back(provider_json(ctx, *p));
      modified = std::max(modified, p->updated_at ? p->updated_at : p->created_at);
    }
  }
  Response r = json_response(200, {{"resource_providers", std::move(list)}});
  set_cache_headers(ctx, r, modified);
  return r;
}

Response create_provider(Context& ctx) {
  require_json_content(ctx);
  const nlohmann::json data = parse_body(ctx, post_schema(ctx));
  Provider p;
  p.name = data["name"].get<std::string>();
  p.uuid = data.contains("uuid") ? *Uuid::parse(data["uuid"].get<std::string>()) : random_uuid();
  const std::string prefix = "Unable to create resource provider \"" + p.name + "\", " +
                             p.uuid.str() + ": Object action create failed because: ";
  if (data.contains("parent_provider_uuid") && !data["parent_provider_uuid"].is_null()) {
    const Uuid parent_uuid = *Uuid::parse(data["parent_provider_uuid"].get<std::string>());
    if (parent_uuid == p.uuid)
      throw bad_request(prefix + "parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.");
    const Provider* parent = ctx.state->provider(parent_uuid);
    if (!parent) throw bad_request(prefix + "parent provider UUID does not exist.");
    p.parent = parent->id;
  }
  std::vector<std::string> duplicates;
  if (ctx.state->provider(p.uuid)) duplicates.push_back("uuid: " + p.uuid.str());
  if (ctx.state->provider_named(p.name)) duplicates.push_back("name: " + p.name);
  auto duplicate_error = [&] {
    std::string list;
    for (const auto& d : duplicates) list += (list.empty() ? "" : ", ") + d;
    return conflict("Conflicting resource provider " + list + " already exists.", code::kDuplicateName);
  };
  if (!duplicates.empty()) throw duplicate_error();

  scheduler::ChangeSet changes;
  auto& created = changes.add(scheduler::CreateProvider{p});
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict& c) {
    if (c.kind == store::ConflictKind::kDuplicateUuid) duplicates = {"uuid: " + p.uuid.str()};
    else if (c.kind == store::ConflictKind::kDuplicateName) duplicates = {"name: " + p.name};
    else if (c.kind == store::ConflictKind::kMissing)
      throw bad_request(prefix + "parent provider UUID does not exist.");
    else throw conflict(std::string("Update conflict: ") + c.what(), code::kConcurrentUpdate);
    throw duplicate_error();
  }
  refresh_snapshot(ctx);
  const Provider* stored = ctx.state->provider(created.provider.id);
  Response r = ctx.at_least(1, 20) ? show(ctx, *stored, 200) : empty_response(201);
  r.set_header("Location", absolute_url(ctx, location_of(*stored)));
  return r;
}

Response get_provider(Context& ctx) {
  check_accept_json(ctx);
  return show(ctx, provider_from_path(ctx), 200);
}

Response update_provider(Context& ctx) {
  require_json_content(ctx);
  const Provider& current = provider_from_path(ctx);
  const nlohmann::json data = parse_body(ctx, put_schema(ctx));
  Provider next = current;
  next.name = data["name"].get<std::string>();
  const std::string prefix = "Unable to save resource provider " + current.uuid.str() + ": ";
  if (data.contains("parent_provider_uuid")) {
    const bool allow_reparenting = ctx.at_least(1, 37);
    const auto& value = data["parent_provider_uuid"];
    if (!value.is_null()) {
      const Provider* parent = ctx.state->provider(*Uuid::parse(value.get<std::string>()));
      if (!parent)
        throw bad_request(prefix + "Object action create failed because: parent provider UUID does not exist.");
      if (current.parent != scheduler::kNoProvider && current.parent != parent->id && !allow_reparenting)
        throw bad_request(prefix + "Object action update failed because: re-parenting a provider is not currently allowed.");
      for (const Provider* d : ctx.state->subtree(current.id))
        if (d->id == parent->id)
          throw bad_request(prefix + "Object action update failed because: creating loop in the provider tree is not allowed.");
      next.parent = parent->id;
    } else if (current.parent != scheduler::kNoProvider) {
      if (!allow_reparenting)
        throw bad_request(prefix + "Object action update failed because: un-parenting a provider is not currently allowed.");
      next.parent = scheduler::kNoProvider;
    }
  }
  if (const Provider* other = ctx.state->provider_named(next.name); other && other->id != current.id)
    throw conflict("Conflicting resource provider " + next.name + " already exists.", code::kDuplicateName);
  next.updated_at = now_unix();
  scheduler::ChangeSet changes;
  scheduler::UpdateProvider update{next, current.generation, scheduler::kProviderFields};
  update.bump_generation = false;
  changes.add(std::move(update));
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict& c) {
    if (c.kind == store::ConflictKind::kDuplicateName)
      throw conflict("Conflicting resource provider " + next.name + " already exists.", code::kDuplicateName);
    if (c.kind == store::ConflictKind::kMissing)
      throw bad_request(prefix + "Object action update failed because: parent provider UUID does not exist.");
    throw conflict("Unable to save resource provider " + current.uuid.str() +
                       ": another request changed it at the same time; retry.",
                   code::kConcurrentUpdate);
  }
  refresh_snapshot(ctx);
  return show(ctx, *ctx.state->provider(current.id), 200);
}

Response delete_provider(Context& ctx) {
  const Provider& p = provider_from_path(ctx, "No resource provider with uuid %s found for delete");
  const std::string uuid = p.uuid.str();
  auto parent_error = [&] {
    return conflict("Unable to delete parent resource provider " + uuid + ": It has child resource providers.",
                    code::kProviderCannotDeleteParent);
  };
  if (!p.children.empty()) throw parent_error();
  if (!p.usage.empty())
    throw conflict("Unable to delete resource provider " + uuid + ": Resource provider has allocations.",
                   code::kProviderInUse);
  scheduler::ChangeSet changes;
  changes.add(scheduler::DeleteProvider{p.id, p.generation});
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict& c) {
    if (c.kind == store::ConflictKind::kInUse) throw parent_error();
    throw conflict("Unable to delete resource provider " + uuid +
                       ": another request changed it at the same time; retry.",
                   code::kConcurrentUpdate);
  }
  return empty_response(204);
}

}  // namespace

void add_resource_provider_routes(Router& router) {
  router.add({"/resource_providers", "GET", list_providers});
  router.add({"/resource_providers", "POST", create_provider});
  router.add({"/resource_providers/{uuid}", "GET", get_provider});
  router.add({"/resource_providers/{uuid}", "PUT", update_provider});
  router.add({"/resource_providers/{uuid}", "DELETE", delete_provider});
}

}  // namespace vgpu::api
