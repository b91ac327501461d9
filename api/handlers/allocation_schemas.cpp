#include "api/handlers/allocation_schemas.hpp"

#include <nlohmann/json.hpp>

namespace vgpu::api {
namespace {

using nlohmann::json;

constexpr const char* kUuidPattern = "^[0-9a-fA-F-]{36}$";
constexpr const char* kClassPattern = "^[A-Z0-9_]+$";
constexpr const char* kGroupPattern = "[a-zA-Z0-9_-]{1,64}";

json text_id() { return {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}; }

json resources() {
  return {{"type", "object"},
          {"minProperties", 1},
          {"patternProperties", {{kClassPattern, {{"type", "integer"}, {"minimum", 1}}}}},
          {"additionalProperties", false}};
}

json v1_0() {
  json item = {{"type", "object"},
               {"properties",
                {{"resource_provider",
                  {{"type", "object"},
                   {"properties", {{"uuid", {{"type", "string"}, {"format", "uuid"}}}}},
                   {"additionalProperties", false},
                   {"required", json::array({"uuid"})}}},
                 {"resources", resources()}}},
               {"required", json::array({"resource_provider", "resources"})},
               {"additionalProperties", false}};
  return {{"type", "object"},
          {"properties", {{"allocations", {{"type", "array"}, {"minItems", 1}, {"items", item}}}}},
          {"required", json::array({"allocations"})},
          {"additionalProperties", false}};
}

json v1_8() {
  json s = v1_0();
  s["properties"]["project_id"] = text_id();
  s["properties"]["user_id"] = text_id();
  s["required"] = json::array({"allocations", "project_id", "user_id"});
  return s;
}

json v1_12() {
  json per_provider = {{"type", "object"},
                       {"properties", {{"generation", {{"type", "integer"}}}, {"resources", resources()}}},
                       {"required", json::array({"resources"})},
                       {"additionalProperties", false}};
  return {{"type", "object"},
          {"properties",
           {{"allocations",
             {{"type", "object"},
              {"minProperties", 1},
              {"patternProperties", {{kUuidPattern, per_provider}}},
              {"additionalProperties", false}}},
            {"project_id", text_id()},
            {"user_id", text_id()}}},
          {"additionalProperties", false},
          {"required", json::array({"allocations", "project_id", "user_id"})}};
}

json deletable() {
  json s = v1_12();
  s["properties"]["allocations"]["minProperties"] = 0;
  return s;
}

json v1_28() {
  json s = deletable();
  s["properties"]["consumer_generation"] = {{"type", json::array({"integer", "null"})},
                                            {"additionalProperties", false}};
  s["required"].push_back("consumer_generation");
  return s;
}

json v1_34() {
  json s = v1_28();
  s["properties"]["mappings"] = {
      {"type", "object"},
      {"minProperties", 1},
      {"patternProperties",
       {{kGroupPattern,
         {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "string"}, {"format", "uuid"}}}}}}}};
  return s;
}

json v1_38() {
  json s = v1_34();
  s["properties"]["consumer_type"] = {{"type", "string"},
                                      {"pattern", kClassPattern},
                                      {"minLength", 1},
                                      {"maxLength", 255}};
  s["required"].push_back("consumer_type");
  return s;
}

json post(json per_consumer) {
  return {{"type", "object"},
          {"minProperties", 1},
          {"additionalProperties", false},
          {"patternProperties", {{kUuidPattern, std::move(per_consumer)}}}};
}

}  // namespace

const JsonSchema& put_allocations_schema(const Version& v) {
  static const JsonSchema s1_0(v1_0().dump()), s1_8(v1_8().dump()), s1_12(v1_12().dump()),
      s1_28(v1_28().dump()), s1_34(v1_34().dump()), s1_38(v1_38().dump());
  if (v >= Version{1, 38}) return s1_38;
  if (v >= Version{1, 34}) return s1_34;
  if (v >= Version{1, 28}) return s1_28;
  if (v >= Version{1, 12}) return s1_12;
  if (v >= Version{1, 8}) return s1_8;
  return s1_0;
}

nlohmann::json post_allocations_document(const Version& v) {
  if (v >= Version{1, 38}) return post(v1_38());
  if (v >= Version{1, 34}) return post(v1_34());
  if (v >= Version{1, 28}) return post(v1_28());
  return post(deletable());
}

const JsonSchema& post_allocations_schema(const Version& v) {
  static const JsonSchema s1_13(post_allocations_document({1, 13}).dump()),
      s1_28(post_allocations_document({1, 28}).dump()),
      s1_34(post_allocations_document({1, 34}).dump()),
      s1_38(post_allocations_document({1, 38}).dump());
  if (v >= Version{1, 38}) return s1_38;
  if (v >= Version{1, 34}) return s1_34;
  if (v >= Version{1, 28}) return s1_28;
  return s1_13;
}

}  // namespace vgpu::api
