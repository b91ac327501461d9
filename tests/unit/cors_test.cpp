// CORS as oslo.middleware applies it around the API.
#include <catch2/catch.hpp>

#include "api/cors.hpp"

using namespace vgpu::api;

namespace {

CorsOptions options() {
  CorsOptions o;
  o.allowed_origins = {"http://valid.example.com"};
  o.allow_headers = {"openstack-api-version"};
  return o;
}

Request request(std::string method, std::vector<Header> headers) {
  return Request{std::move(method), "/", std::move(headers), ""};
}

Response refused() {
  Response r;
  r.status = 405;
  r.body = "{}";
  r.set_header("Content-Type", "application/json");
  r.set_header("Allow", "GET");
  return r;
}

}  // namespace

TEST_CASE("CORS off leaves every response alone", "[cors]") {
  Response r = refused();
  apply_cors(CorsOptions{}, request("OPTIONS", {{"Origin", "http://valid.example.com"},
                                                {"Access-Control-Request-Method", "GET"}}),
             r);
  CHECK(r.status == 405);
  CHECK(r.header("Access-Control-Allow-Origin") == nullptr);
}

TEST_CASE("a permitted preflight gets 200 and the allow headers", "[cors]") {
  Response r = refused();
  apply_cors(options(),
             request("OPTIONS", {{"origin", "http://valid.example.com"},
                                 {"access-control-request-method", "GET"},
                                 {"access-control-request-headers", "OpenStack-API-Version, Accept"}}),
             r);
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(r.header("Content-Type") == nullptr);
  CHECK(*r.header("Access-Control-Allow-Origin") == "http://valid.example.com");
  CHECK(*r.header("Access-Control-Allow-Headers") == "OpenStack-API-Version,Accept");
  CHECK(*r.header("Access-Control-Allow-Methods") == "GET");
  CHECK(*r.header("Access-Control-Allow-Credentials") == "true");
  CHECK(*r.header("Access-Control-Max-Age") == "3600");
  CHECK(*r.header("Vary") == "Origin");
}

TEST_CASE("a preflight that is not permitted gets a bare 200", "[cors]") {
  const std::vector<std::vector<Header>> cases = {
      {{"Origin", "http://invalid.example.com"}, {"Access-Control-Request-Method", "GET"}},
      {{"Origin", "http://valid.example.com"}},                                       // no method
      {{"Origin", "http://valid.example.com"}, {"Access-Control-Request-Method", "TRACE"}},
      {{"Origin", "http://valid.example.com"}, {"Access-Control-Request-Method", "get"}},
      {{"Origin", "http://valid.example.com"}, {"Access-Control-Request-Method", "GET"},
       {"Access-Control-Request-Headers", "X-Auth-Token"}},                           // not allowed
      {},                                                                             // no origin
  };
  for (const auto& headers : cases) {
    Response r = refused();
    apply_cors(options(), request("OPTIONS", headers), r);
    CHECK(r.status == 200);
    CHECK(r.header("Access-Control-Allow-Origin") == nullptr);
    CHECK(r.header("Allow") == nullptr);
  }
}

TEST_CASE("an actual request from a permitted origin is decorated", "[cors]") {
  Response r;
  r.set_header("Vary", "openstack-api-version");
  apply_cors(options(), request("GET", {{"Origin", "http://valid.example.com"}}), r);
  CHECK(*r.header("Access-Control-Allow-Origin") == "http://valid.example.com");
  CHECK(*r.header("Vary") == "openstack-api-version,Origin");
  CHECK(*r.header("Access-Control-Expose-Headers") ==
        "X-Auth-Token,X-Openstack-Request-Id,X-Subject-Token,X-Service-Token,OpenStack-API-Version");

  Response other;
  other.status = 401;
  apply_cors(options(), request("GET", {{"Origin", "http://invalid.example.com"}}), other);
  CHECK(other.status == 401);
  CHECK(other.header("Access-Control-Allow-Origin") == nullptr);
  CHECK(other.header("Vary") == nullptr);
}

TEST_CASE("a * origin allows any origin and answers *", "[cors]") {
  CorsOptions o = options();
  o.allowed_origins = {"*"};
  Response r;
  apply_cors(o, request("GET", {{"Origin", "http://anything.example.com"}}), r);
  CHECK(*r.header("Access-Control-Allow-Origin") == "*");
}
