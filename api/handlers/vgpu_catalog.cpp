// GET /vgpu/v1/profiles[?board=A40]: the running catalog (shipped, with the operator's
// overrides), boards and profiles with their numbers and Nova names.
#include "api/handler_util.hpp"
#include "api/handlers/vgpu_routes.hpp"
#include "api/vgpu_json.hpp"

namespace vgpu::api {
namespace {

namespace sv = scheduler::vgpu;

Response list_profiles(Context& ctx) {
  check_accept_json(ctx);
  static const JsonSchema query_schema(R"({"type": "object",
      "properties": {"board": {"type": "string", "minLength": 1, "maxLength": 32}},
      "additionalProperties": false})");
  validate_query(ctx, query_schema);
  const sv::Catalog& catalog = ctx.vgpu->catalog;
  nlohmann::json boards = nlohmann::json::array();
  nlohmann::json profiles = nlohmann::json::array();
  if (const std::string* name = ctx.query.get("board")) {
    const auto board = catalog.find_board(*name);
    if (!board)
      throw bad_request("Invalid query string parameters: unknown board '" + *name + "'",
                        vgpu_code::kUnknownBoard);
    boards.push_back(board_json(catalog.board(*board)));
    for (sv::ProfileIndex p : catalog.profiles_of(*board)) profiles.push_back(profile_json(*ctx.vgpu, p));
  } else {
    for (const sv::Board& b : catalog.boards()) boards.push_back(board_json(b));
    for (std::size_t p = 0; p < catalog.profiles().size(); ++p)
      profiles.push_back(profile_json(*ctx.vgpu, static_cast<sv::ProfileIndex>(p)));
  }
  return json_response(200, {{"boards", std::move(boards)}, {"profiles", std::move(profiles)}});
}

}  // namespace

void add_vgpu_catalog_routes(Router& router) {
  router.add({"/vgpu/v1/profiles", "GET", list_profiles});
}

}  // namespace vgpu::api
