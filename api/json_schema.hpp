#pragma once
// A small JSON Schema validator for the subset Placement's schemas use (type, properties,
// patternProperties, additionalProperties, required, min/maxLength, pattern, minimum/maximum,
// enum, anyOf, items, min/maxItems, uniqueItems, min/maxProperties, format: uuid).
// Placement clients and its own tests match on the wording of Python's jsonschema
// ("'name' is a required property", "Failed validating 'maxLength'"), so messages and the
// choice of which error to report (the shallowest, first found) follow that library.
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace vgpu::api {

struct SchemaError {
  std::string message;     // "'name' is a required property"
  std::string keyword;     // "required"
  std::string schema_path; // "['properties']['name']" (Python repr style, without the keyword)
  std::string instance_path;
  std::size_t depth = 0;   // length of the instance path
  // jsonschema's str(ValidationError): message, then where validation failed.
  std::string describe() const;
};

class JsonSchema {
 public:
  // Parses the schema text; throws std::invalid_argument on a malformed schema (a coding error).
  explicit JsonSchema(std::string_view schema_text);
  JsonSchema(JsonSchema&&) noexcept;
  ~JsonSchema();

  // The best error, or nullopt when the instance is valid.
  std::optional<SchemaError> validate(const nlohmann::json& instance) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Python's repr() of a JSON value: 'text', 1, 1.5, True, None, [1, 'a'], {'k': 1}.
std::string python_repr(const nlohmann::json& value);

}  // namespace vgpu::api
