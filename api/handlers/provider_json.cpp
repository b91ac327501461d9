#include "api/handlers/provider_json.hpp"

namespace vgpu::api {

nlohmann::json provider_json(const Context& ctx, const scheduler::Provider& p) {
  const std::string url = "/resource_providers/" + p.uuid.str();
  nlohmann::json links = nlohmann::json::array();
  links.push_back({{"rel", "self"}, {"href", url}});
  std::vector<const char*> rels = {"inventories", "usages"};
  if (ctx.at_least(1, 1)) rels.push_back("aggregates");
  if (ctx.at_least(1, 6)) rels.push_back("traits");
  if (ctx.at_least(1, 11)) rels.push_back("allocations");
  for (const char* rel : rels) links.push_back({{"rel", rel}, {"href", url + "/" + rel}});
  nlohmann::json out = {
      {"uuid", p.uuid.str()}, {"name", p.name}, {"generation", p.generation}, {"links", links}};
  if (ctx.at_least(1, 14)) {
    const scheduler::Provider* parent = ctx.state->provider(p.parent);
    const scheduler::Provider* root = ctx.state->provider(p.root);
    out["parent_provider_uuid"] = parent ? nlohmann::json(parent->uuid.str()) : nlohmann::json();
    out["root_provider_uuid"] = root ? root->uuid.str() : p.uuid.str();
  }
  return out;
}

}  // namespace vgpu::api
