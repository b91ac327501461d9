#include <catch2/catch.hpp>

#include "api/json_schema.hpp"

using vgpu::api::JsonSchema;
using nlohmann::json;

namespace {
const char* kSchema = R"({"type": "object",
  "properties": {"name": {"type": "string", "maxLength": 5},
                 "n": {"type": "integer", "minimum": 1},
                 "ids": {"type": "array", "items": {"type": "string", "format": "uuid"}, "uniqueItems": true},
                 "p": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}},
  "required": ["name"], "additionalProperties": false})";
}

TEST_CASE("schema errors read like Python's jsonschema", "[api]") {
  const JsonSchema schema(kSchema);
  struct Case { const char* body; const char* message; const char* keyword; };
  const Case cases[] = {
      {R"({})", "'name' is a required property", "required"},
      {R"({"name": "a", "x": 1})", "Additional properties are not allowed ('x' was unexpected)", "additionalProperties"},
      {R"({"name": 1})", "1 is not of type 'string'", "type"},
      {R"({"name": "abcdef"})", "'abcdef' is too long", "maxLength"},
      {R"({"name": "a", "n": 0})", "0 is less than the minimum of 1", "minimum"},
      {R"({"name": "a", "n": true})", "True is not of type 'integer'", "type"},
      {R"({"name": "a", "ids": ["x"]})", "'x' is not a 'uuid'", "format"},
      {R"({"name": "a", "ids": ["11111111-1111-1111-1111-111111111111", "11111111-1111-1111-1111-111111111111"]})",
       "['11111111-1111-1111-1111-111111111111', '11111111-1111-1111-1111-111111111111'] has non-unique elements", "uniqueItems"},
      {R"({"name": "a", "p": 5})", "5 is not valid under any of the given schemas", "anyOf"},
      {R"([])", "[] is not of type 'object'", "type"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    auto error = schema.validate(json::parse(c.body));
    REQUIRE(error);
    CHECK(error->message == c.message);
    CHECK(error->keyword == c.keyword);
    CHECK(error->describe().find(std::string("Failed validating '") + c.keyword + "'") != std::string::npos);
  }
  REQUIRE_FALSE(schema.validate(json::parse(R"({"name": "ok", "p": null, "n": 3})")));
}

TEST_CASE("the shallowest error is reported first", "[api]") {
  const JsonSchema schema(kSchema);
  // A bad property value (depth 1) and an unexpected key (depth 0): the unexpected key wins.
  auto error = schema.validate(json::parse(R"({"name": 1, "zzz": 2})"));
  REQUIRE(error);
  CHECK(error->keyword == "additionalProperties");
}

TEST_CASE("python_repr quotes like Python", "[api]") {
  CHECK(vgpu::api::python_repr(json("it's")) == "\"it's\"");
  CHECK(vgpu::api::python_repr(json::parse(R"({"a": [1, 2.5, null, false]})")) == "{'a': [1, 2.5, None, False]}");
}
