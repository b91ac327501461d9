// /resource_classes and /resource_classes/{name} (1.2+): the standard classes and CUSTOM_ ones.
#include <unordered_set>

#include "api/handler_util.hpp"
#include "api/routes.hpp"
#include "scheduler/names/standard_names.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

const JsonSchema& name_schema() {
  static const JsonSchema s(R"({"type": "object", "properties": {"name":
      {"type": "string", "pattern": "^CUSTOM_[A-Z0-9_]+$", "maxLength": 255}},
      "required": ["name"], "additionalProperties": false})");
  return s;
}

bool is_standard(std::string_view name) {
  static const std::unordered_set<std::string_view> kStandard(
      scheduler::standard_resource_classes().begin(), scheduler::standard_resource_classes().end());
  return kStandard.count(name) > 0;
}

nlohmann::json class_json(const std::string& name) {
  return {{"name", name},
          {"links", nlohmann::json::array({{{"rel", "self"}, {"href", "/resource_classes/" + name}}})}};
}

scheduler::ClassId class_or_404(const Context& ctx) {
  const std::string& name = ctx.param("name");
  if (auto id = ctx.state->classes().id_of(name)) return *id;
  throw not_found("No such resource class " + name + ".");
}

// Creates the class; false if it already existed (possibly created concurrently).
bool create_class(Context& ctx, const std::string& name) {
  if (ctx.state->classes().id_of(name)) return false;
  scheduler::ChangeSet changes;
  changes.add(scheduler::AddResourceClass{name});
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict& c) {
    if (c.kind == store::ConflictKind::kDuplicateName) return false;
    throw;
  }
  return true;
}

Response list_classes(Context& ctx) {
  check_accept_json(ctx);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, name] : ctx.state->classes().sorted_by_id()) list.push_back(class_json(name));
  Response r = json_response(200, {{"resource_classes", std::move(list)}});
  set_cache_headers(ctx, r, now_unix());
  return r;
}

Response create(Context& ctx) {
  require_json_content(ctx);
  const std::string name = parse_body(ctx, name_schema())["name"].get<std::string>();
  if (!create_class(ctx, name))
    throw conflict("Conflicting resource class already exists: " + name);
  Response r = empty_response(201);
  r.set_header("Location", absolute_url(ctx, "/resource_classes/" + name));
  return r;
}

Response show(Context& ctx) {
  check_accept_json(ctx);
  class_or_404(ctx);
  Response r = json_response(200, class_json(ctx.param("name")));
  set_cache_headers(ctx, r, now_unix());
  return r;
}

// 1.2 - 1.6: rename a custom class.
Response rename(Context& ctx) {
  require_json_content(ctx);
  const std::string new_name = parse_body(ctx, name_schema())["name"].get<std::string>();
  const scheduler::ClassId id = class_or_404(ctx);
  if (is_standard(ctx.param("name")))
    throw bad_request("Cannot update standard resource class " + ctx.param("name"));
  if (ctx.state->classes().id_of(new_name))
    throw conflict("Resource class already exists: " + new_name);
  scheduler::ChangeSet changes;
  changes.add(scheduler::RenameResourceClass{id, new_name});
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict&) {
    throw conflict("Resource class already exists: " + new_name);
  }
  return json_response(200, class_json(new_name));
}

// 1.7+: create-or-validate, no body.
Response ensure(Context& ctx) {
  const std::string& name = ctx.param("name");
  nlohmann::json probe = {{"name", name}};
  if (auto error = name_schema().validate(probe))
    throw bad_request("JSON does not validate: " + error->describe());
  const bool created = create_class(ctx, name);
  Response r = empty_response(created ? 201 : 204);
  r.set_header("Location", absolute_url(ctx, "/resource_classes/" + name));
  return r;
}

Response remove(Context& ctx) {
  const scheduler::ClassId id = class_or_404(ctx);
  const std::string& name = ctx.param("name");
  if (is_standard(name))
    throw bad_request("Error in delete resource class: Cannot delete standard resource class " + name + ".");
  const auto in_use = [&] {
    return conflict("Error in delete resource class: Cannot delete resource class " + name +
                    ". Class is in use in inventory.");
  };
  if (ctx.state->class_in_use(id)) throw in_use();
  scheduler::ChangeSet changes;
  changes.add(scheduler::RemoveResourceClass{id});
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict&) {
    throw in_use();
  }
  return empty_response(204);
}

}  // namespace

void add_resource_class_routes(Router& router) {
  const Version v1_2{1, 2};
  router.add({"/resource_classes", "GET", list_classes, v1_2});
  router.add({"/resource_classes", "POST", create, v1_2});
  router.add({"/resource_classes/{name}", "GET", show, v1_2});
  router.add({"/resource_classes/{name}", "PUT", rename, v1_2, {1, 6}});
  router.add({"/resource_classes/{name}", "PUT", ensure, {1, 7}});
  router.add({"/resource_classes/{name}", "DELETE", remove, v1_2});
}

}  // namespace vgpu::api
