#include <catch2/catch.hpp>

#include "api/router.hpp"

using namespace vgpu::api;

TEST_CASE("routing table: params, 404, 405 with Allow, versions", "[api]") {
  Router router;
  auto ok = [](Context&) { return Response{}; };
  router.add({"/resource_providers", "GET", ok});
  router.add({"/resource_providers", "POST", ok});
  router.add({"/resource_providers/{uuid}/inventories", "DELETE", ok, {1, 5}, kMaxSupportedVersion, 405});
  router.add({"/resource_classes/{name}", "PUT", ok, {1, 2}, {1, 6}});
  router.add({"/resource_classes/{name}", "PUT", ok, {1, 7}});

  auto m = router.match("GET", "/resource_providers", {1, 0});
  CHECK(m.kind == RouteMatch::Kind::kFound);
  m = router.match("DELETE", "/resource_providers", {1, 0});
  CHECK(m.kind == RouteMatch::Kind::kNoMethod);
  CHECK(m.allow == "GET, POST");
  CHECK(router.match("GET", "/nothing", {1, 0}).kind == RouteMatch::Kind::kNoPath);
  CHECK(router.match("GET", "/resource_providers/", {1, 0}).kind == RouteMatch::Kind::kNoPath);

  m = router.match("DELETE", "/resource_providers/abc/inventories", {1, 4});
  CHECK(m.kind == RouteMatch::Kind::kNoVersion);
  CHECK(m.version_status == 405);
  m = router.match("DELETE", "/resource_providers/abc/inventories", {1, 5});
  CHECK(m.kind == RouteMatch::Kind::kFound);
  CHECK(m.params["uuid"] == "abc");

  CHECK(router.match("PUT", "/resource_classes/X", {1, 1}).kind == RouteMatch::Kind::kNoVersion);
  CHECK(router.match("PUT", "/resource_classes/X", {1, 6}).route->max_version == Version{1, 6});
  CHECK(router.match("PUT", "/resource_classes/X", {1, 7}).route->min_version == Version{1, 7});
}
