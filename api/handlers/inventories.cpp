// /resource_providers/{uuid}/inventories[/{resource_class}]: list, replace all, create one,
// show, update and delete one class, delete all (1.5+).
#include "api/handler_util.hpp"
#include "api/handlers/inventory_records.hpp"
#include "api/routes.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

using scheduler::ClassId;
using scheduler::Inventory;
using scheduler::Provider;

constexpr std::int64_t kMaxInt = 2147483647;  // upstream's db_const.MAX_INT

std::string record_properties(bool with_generation) {
  std::string p = R"(
    "total": {"type": "integer", "maximum": 2147483647, "minimum": 1},
    "reserved": {"type": "integer", "maximum": 2147483647, "minimum": 0},
    "min_unit": {"type": "integer", "maximum": 2147483647, "minimum": 1},
    "max_unit": {"type": "integer", "maximum": 2147483647, "minimum": 1},
    "step_size": {"type": "integer", "maximum": 2147483647, "minimum": 1},
    "allocation_ratio": {"type": "number", "maximum": 3.40282e+38})";
  if (with_generation) p = R"("resource_provider_generation": {"type": "integer"},)" + p;
  return p;
}

const JsonSchema& put_one_schema() {
  static const JsonSchema s(R"({"type": "object", "properties": {)" + record_properties(true) +
                            R"(}, "required": ["total", "resource_provider_generation"],
                               "additionalProperties": false})");
  return s;
}

const JsonSchema& post_schema() {
  static const JsonSchema s(R"({"type": "object", "properties": {)" + record_properties(true) +
                            R"(, "resource_class": {"type": "string", "pattern": "^[A-Z0-9_]+$"}},
                               "required": ["total", "resource_class"],
                               "additionalProperties": false})");
  return s;
}

std::string put_all_schema_text() {
  return R"({"type": "object", "properties": {
      "resource_provider_generation": {"type": "integer"},
      "inventories": {"type": "object", "patternProperties": {"^[A-Z0-9_]+$":
         {"type": "object", "properties": {)" + record_properties(true) +
         R"(}, "required": ["total"], "additionalProperties": false}}}},
      "required": ["resource_provider_generation", "inventories"],
      "additionalProperties": false})";
}

const JsonSchema& put_all_schema() {
  static const JsonSchema s(put_all_schema_text());
  return s;
}

nlohmann::json inventory_json(const Inventory& inv) {
  return {{"total", inv.total},         {"reserved", inv.reserved},
          {"min_unit", inv.min_unit},   {"max_unit", inv.max_unit},
          {"step_size", inv.step_size}, {"allocation_ratio", inv.allocation_ratio}};
}

const std::string& class_name(const Context& ctx, ClassId id) {
  return *ctx.state->classes().name_of(id);
}

// Capacity must be positive, or (1.26+) may be zero when reserved equals total.
void check_capacity(const Context& ctx, const Provider& p, const std::string& rc,
                    const Inventory& inv, const std::string& prefix) {
  const std::int64_t capacity = inv.capacity();
  if (ctx.at_least(1, 26) ? capacity < 0 : capacity <= 0) {
    throw bad_request(prefix + "Invalid inventory for '" + rc + "' on resource provider '" +
                      p.uuid.str() + "'. The reserved value is greater than " +
                      (ctx.at_least(1, 26) ? "total." : "or equal to total."));
  }
}

bool in_use(const Provider& p, ClassId rc) {
  const std::int64_t* used = p.usage.find(rc);
  return used && *used > 0;
}

const Provider& provider_or_404(const Context& ctx) {
  const std::string& uuid = ctx.param("uuid");
  return provider_from_path(ctx, "No resource provider with uuid " + uuid +
                                     " found : No resource provider with uuid " + uuid + " found");
}

Response send_inventories(const Context& ctx, const Provider& p) {
  nlohmann::json invs = nlohmann::json::object();
  for (const auto& [rc, inv] : p.inventories) invs[class_name(ctx, rc)] = inventory_json(inv);
  Response r = json_response(200, {{"resource_provider_generation", p.generation},
                                   {"inventories", std::move(invs)}});
  set_cache_headers(ctx, r, p.updated_at ? p.updated_at : p.created_at);
  return r;
}

Response send_inventory(const Context& ctx, const Provider& p, ClassId rc, int status) {
  nlohmann::json body = inventory_json(*p.inventories.find(rc));
  body["resource_provider_generation"] = p.generation;
  Response r = json_response(status, body);
  set_cache_headers(ctx, r, p.updated_at ? p.updated_at : p.created_at);
  return r;
}

// Commits new inventories for `p` (generation checked and bumped); returns the stored provider.
const Provider& commit_inventories(Context& ctx, const Provider& p,
                                   scheduler::FlatMap<ClassId, Inventory> inventories,
                                   const std::string& conflict_prefix,
                                   std::string_view conflict_code = code::kConcurrentUpdate) {
  Provider next = p;
  next.inventories = std::move(inventories);
  return commit_provider(ctx, p, std::move(next),
                         {scheduler::kProviderInventories,
                          conflict_prefix + "Another thread concurrently updated the resource provider data. Please retry your update",
                          conflict_code});
}

Response list_inventories(Context& ctx) {
  check_accept_json(ctx);
  return send_inventories(ctx, provider_or_404(ctx));
}

Response show_inventory(Context& ctx) {
  check_accept_json(ctx);
  const Provider& p = provider_or_404(ctx);
  const std::string& rc = ctx.param("resource_class");
  const auto id = ctx.state->classes().id_of(rc);
  if (!id || !p.inventories.contains(*id))
    throw not_found("No inventory of class " + rc + " for " + ctx.param("uuid"));
  return send_inventory(ctx, p, *id, 200);
}

Response create_inventory(Context& ctx) {
  require_json_content(ctx);
  const Provider& p = provider_from_path(ctx);
  const nlohmann::json data = parse_body(ctx, post_schema());
  const std::string rc = data["resource_class"].get<std::string>();
  const std::string prefix = "Unable to create inventory for resource provider " + p.uuid.str() + ": ";
  const Inventory inv = inventory_from(data);
  check_capacity(ctx, p, rc, inv, prefix);
  const auto id = ctx.state->classes().id_of(rc);
  if (!id) throw bad_request(prefix + "No such resource class " + rc + ".");
  if (p.inventories.contains(*id))
    throw conflict("Update conflict: Inventory for '" + rc + "' on resource provider '" +
                       p.uuid.str() + "' already exists.",
                   code::kConcurrentUpdate);
  auto inventories = p.inventories;
  inventories[*id] = inv;
  const Provider& stored = commit_inventories(ctx, p, std::move(inventories), "Update conflict: ");
  Response r = send_inventory(ctx, stored, *id, 201);
  r.set_header("Location", absolute_url(ctx, "/resource_providers/" + p.uuid.str() + "/inventories/" + rc));
  return r;
}

Response replace_inventories(Context& ctx) {
  require_json_content(ctx);
  const Provider& p = provider_from_path(ctx);
  const nlohmann::json data = parse_body(ctx, put_all_schema());
  if (data["resource_provider_generation"].get<std::int64_t>() != p.generation)
    throw conflict("resource provider generation conflict", code::kConcurrentUpdate);
  const std::string uuid = p.uuid.str();
  scheduler::FlatMap<ClassId, Inventory> inventories;
  for (const auto& [rc, record] : data["inventories"].items()) {
    const Inventory inv = inventory_from(record);
    check_capacity(ctx, p, rc, inv, "Unable to update inventory for resource provider " + uuid + ": ");
    const auto id = ctx.state->classes().id_of(rc);
    if (!id)
      throw bad_request("Unknown resource class in inventory for resource provider " + uuid +
                        ": No such resource class " + rc + ".");
    inventories[*id] = inv;
  }
  std::string busy;
  for (const auto& [rc, inv] : p.inventories)
    if (!inventories.contains(rc) && in_use(p, rc))
      busy += (busy.empty() ? "" : ", ") + class_name(ctx, rc);
  if (!busy.empty())
    throw conflict("update conflict: Inventory for '" + busy + "' on resource provider '" + uuid + "' in use.",
                   code::kInventoryInUse);
  return send_inventories(ctx, commit_inventories(ctx, p, std::move(inventories), "update conflict: "));
}

Response update_inventory(Context& ctx) {
  require_json_content(ctx);
  const Provider& p = provider_from_path(ctx);
  const nlohmann::json data = parse_body(ctx, put_one_schema());
  if (data["resource_provider_generation"].get<std::int64_t>() != p.generation)
    throw conflict("resource provider generation conflict", code::kConcurrentUpdate);
  const std::string& rc = ctx.param("resource_class");
  const std::string uuid = p.uuid.str();
  const Inventory inv = inventory_from(data);
  check_capacity(ctx, p, rc, inv, "Unable to update inventory for resource provider " + uuid + ": ");
  const auto id = ctx.state->classes().id_of(rc);
  if (!id || !p.inventories.contains(*id))
    throw bad_request("No inventory record with resource class for resource provider " + uuid +
                      ": No inventory of class " + rc + " found.");
  auto inventories = p.inventories;
  inventories[*id] = inv;
  return send_inventory(ctx, commit_inventories(ctx, p, std::move(inventories), "update conflict: "),
                        *id, 200);
}

Response delete_inventory(Context& ctx) {
  const Provider& p = provider_from_path(ctx);
  const std::string& rc = ctx.param("resource_class");
  const auto id = ctx.state->classes().id_of(rc);
  if (!id || !p.inventories.contains(*id))
    throw not_found("No inventory of class " + rc + " found for delete: No inventory of class " + rc + " found.");
  if (in_use(p, *id))
    throw conflict("Unable to delete inventory of class " + rc + ": Inventory for '" + rc +
                       "' on resource provider '" + p.uuid.str() + "' in use.",
                   code::kConcurrentUpdate);
  auto inventories = p.inventories;
  inventories.erase(*id);
  commit_inventories(ctx, p, std::move(inventories), "Unable to delete inventory of class " + rc + ": ");
  return empty_response(204);
}

Response delete_inventories(Context& ctx) {
  const Provider& p = provider_from_path(ctx);
  std::string busy;
  for (const auto& [rc, inv] : p.inventories)
    if (in_use(p, rc)) busy += (busy.empty() ? "" : ", ") + class_name(ctx, rc);
  if (!busy.empty())
    throw conflict("Inventory for '" + busy + "' on resource provider '" + p.uuid.str() + "' in use.",
                   code::kInventoryInUse);
  commit_inventories(ctx, p, {}, "Unable to delete inventory for resource provider " + p.uuid.str() +
                                     " because the inventory was updated by another process. Please retry your request. ");
  return empty_response(204);
}

}  // namespace

nlohmann::json put_inventories_schema_document() {
  return nlohmann::json::parse(put_all_schema_text());
}

Inventory inventory_from(const nlohmann::json& d) {
  Inventory inv;
  inv.total = d["total"].get<std::int64_t>();
  inv.reserved = d.value("reserved", std::int64_t{0});
  inv.min_unit = d.value("min_unit", std::int64_t{1});
  inv.max_unit = d.value("max_unit", kMaxInt);
  inv.step_size = d.value("step_size", std::int64_t{1});
  inv.allocation_ratio = d.value("allocation_ratio", 1.0);
  return inv;
}

void add_inventory_routes(Router& router) {
  const std::string all = "/resource_providers/{uuid}/inventories";
  const std::string one = all + "/{resource_class}";
  router.add({all, "GET", list_inventories});
  router.add({all, "POST", create_inventory});
  router.add({all, "PUT", replace_inventories});
  router.add({all, "DELETE", delete_inventories, {1, 5}, kMaxSupportedVersion, 405});
  router.add({one, "GET", show_inventory});
  router.add({one, "PUT", update_inventory});
  router.add({one, "DELETE", delete_inventory});
}

}  // namespace vgpu::api
