#include "api/json_schema.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "scheduler/model/uuid.hpp"

namespace vgpu::api {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

std::string repr_string(const std::string& s) {
  // Python prefers single quotes, and switches to double quotes when the text has a single
  // quote and no double quote.
  const bool has_single = s.find('\'') != std::string::npos;
  const bool has_double = s.find('"') != std::string::npos;
  const char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == q || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  out.push_back(q);
  return out;
}

std::string repr_number(const json& v) {
  if (v.is_number_integer()) return v.dump();
  const double d = v.get<double>();
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e16) {
    std::ostringstream os;
    os << static_cast<long long>(d) << ".0";
    return os.str();
  }
  return v.dump();
}

bool is_type(const json& v, const std::string& type) {
  if (type == "string") return v.is_string();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_number_integer()) return true;
    if (v.is_number_float()) {
      const double d = v.get<double>();
      return std::isfinite(d) && d == std::floor(d);
    }
    return false;
  }
  return false;
}

// Characters as Python counts them (code points), for min/maxLength.
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string path_item(const std::string& key) { return "[" + repr_string(key) + "]"; }
std::string path_item(std::size_t index) { return "[" + std::to_string(index) + "]"; }

}  // namespace

std::string python_repr(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "None";
    case json::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case json::value_t::string: return repr_string(v.get<std::string>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return repr_number(v);
    case json::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        out += python_repr(item);
      }
      return out + "]";
    }
    case json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, item] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += repr_string(k) + ": " + python_repr(item);
      }
      return out + "}";
    }
    default: return v.dump();
  }
}

std::string SchemaError::describe() const {
  return message + "\n\nFailed validating " + repr_string(keyword) + " in schema" + schema_path +
         ":\n\nOn instance" + instance_path + "";
}

struct JsonSchema::Impl {
  ojson schema;
  std::unordered_map<std::string, std::regex> regexes;

  void compile_patterns(const ojson& s) {
    if (!s.is_object()) return;
    if (auto it = s.find("pattern"); it != s.end() && it->is_string()) {
      regexes.emplace(it->get<std::string>(), std::regex(it->get<std::string>()));
    }
    if (auto it = s.find("patternProperties"); it != s.end()) {
      for (const auto& [pattern, sub] : it->items()) {
        regexes.emplace(pattern, std::regex(pattern));
        compile_patterns(sub);
      }
    }
    for (const char* key : {"properties"}) {
      if (auto it = s.find(key); it != s.end()) {
        for (const auto& [name, sub] : it->items()) compile_patterns(sub);
      }
    }
    for (const char* key : {"items", "additionalProperties"}) {
      if (auto it = s.find(key); it != s.end()) compile_patterns(*it);
    }
    if (auto it = s.find("anyOf"); it != s.end()) {
      for (const auto& sub : *it) compile_patterns(sub);
    }
  }

  bool search(const std::string& pattern, const std::string& text) const {
    return std::regex_search(text, regexes.at(pattern));
  }

  // Appends every error of `v` against `s` to `out`, in schema keyword order.
  void check(const ojson& s, const json& v, const std::string& spath, const std::string& ipath,
             std::size_t depth, std::vector<SchemaError>& out) const {
    auto fail = [&](std::string message, const std::string& keyword) {
      out.push_back({std::move(message), keyword, spath, ipath, depth});
    };
    for (const auto& [kw, arg] : s.items()) {
      if (kw == "type") {
        bool ok = false;
        std::string names;
        if (arg.is_array()) {
          for (const auto& t : arg) {
            ok = ok || is_type(v, t.get<std::string>());
            names += (names.empty() ? "" : ", ") + repr_string(t.get<std::string>());
          }
        } else {
          ok = is_type(v, arg.get<std::string>());
          names = repr_string(arg.get<std::string>());
        }
        if (!ok) fail(python_repr(v) + " is not of type " + names, kw);
      } else if (kw == "required" && v.is_object()) {
        for (const auto& name : arg) {
          if (!v.contains(name.get<std::string>()))
            fail(repr_string(name.get<std::string>()) + " is a required property", kw);
        }
      } else if (kw == "properties" && v.is_object()) {
        for (const auto& [name, sub] : arg.items()) {
          if (auto it = v.find(name); it != v.end())
            check(sub, *it, spath + "['properties']" + path_item(name), ipath + path_item(name),
                  depth + 1, out);
        }
      } else if (kw == "patternProperties" && v.is_object()) {
        for (const auto& [pattern, sub] : arg.items()) {
          for (const auto& [name, item] : v.items()) {
            if (search(pattern, name))
              check(sub, item, spath + "['patternProperties']" + path_item(pattern),
                    ipath + path_item(name), depth + 1, out);
          }
        }
      } else if (kw == "additionalProperties" && v.is_object()) {
        std::vector<std::string> extras;
        for (const auto& [name, item] : v.items()) {
          bool known = s.contains("properties") && s["properties"].contains(name);
          if (!known && s.contains("patternProperties")) {
            for (const auto& [pattern, sub] : s["patternProperties"].items())
              known = known || search(pattern, name);
          }
          if (known) continue;
          if (arg.is_boolean()) {
            if (!arg.get<bool>()) extras.push_back(name);
          } else {
            check(arg, item, spath + "['additionalProperties']", ipath + path_item(name),
                  depth + 1, out);
          }
        }
        if (!extras.empty()) {
          if (s.contains("patternProperties")) {
            std::string patterns;
            for (const auto& [pattern, sub] : s["patternProperties"].items())
              patterns += (patterns.empty() ? "" : ", ") + repr_string(pattern);
            std::string names;
            for (const auto& e : extras) names += (names.empty() ? "" : ", ") + repr_string(e);
            fail(names + (extras.size() == 1 ? " does not" : " do not") +
                     " match any of the regexes: " + patterns,
                 kw);
          } else {
            std::string names;
            for (const auto& e : extras) names += (names.empty() ? "" : ", ") + repr_string(e);
            fail("Additional properties are not allowed (" + names +
                     (extras.size() == 1 ? " was" : " were") + " unexpected)",
                 kw);
          }
        }
      } else if (kw == "minProperties" && v.is_object()) {
        if (v.size() < arg.get<std::size_t>())
          fail(python_repr(v) + " does not have enough properties", kw);
      } else if (kw == "maxProperties" && v.is_object()) {
        if (v.size() > arg.get<std::size_t>()) fail(python_repr(v) + " has too many properties", kw);
      } else if (kw == "minLength" && v.is_string()) {
        if (code_points(v.get<std::string>()) < arg.get<std::size_t>())
          fail(python_repr(v) + " is too short", kw);
      } else if (kw == "maxLength" && v.is_string()) {
        if (code_points(v.get<std::string>()) > arg.get<std::size_t>())
          fail(python_repr(v) + " is too long", kw);
      } else if (kw == "pattern" && v.is_string()) {
        if (!search(arg.get<std::string>(), v.get<std::string>()))
          fail(python_repr(v) + " does not match " + repr_string(arg.get<std::string>()), kw);
      } else if (kw == "format" && v.is_string()) {
        if (arg == "uuid" && !scheduler::Uuid::parse(v.get<std::string>()))
          fail(python_repr(v) + " is not a 'uuid'", kw);
      } else if (kw == "minimum" && v.is_number() && !v.is_boolean()) {
        if (v.get<double>() < arg.get<double>())
          fail(python_repr(v) + " is less than the minimum of " + python_repr(arg), kw);
      } else if (kw == "maximum" && v.is_number() && !v.is_boolean()) {
        if (v.get<double>() > arg.get<double>())
          fail(python_repr(v) + " is greater than the maximum of " + python_repr(arg), kw);
      } else if (kw == "enum") {
        bool found = false;
        for (const auto& e : arg) found = found || json::parse(e.dump()) == v;
        if (!found) fail(python_repr(v) + " is not one of " + python_repr(json::parse(arg.dump())), kw);
      } else if (kw == "anyOf") {
        bool any = false;
        for (const auto& sub : arg) {
          std::vector<SchemaError> sub_errors;
          check(sub, v, spath, ipath, depth, sub_errors);
          any = any || sub_errors.empty();
        }
        if (!any) fail(python_repr(v) + " is not valid under any of the given schemas", kw);
      } else if (kw == "items" && v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i)
          check(arg, v[i], spath + "['items']", ipath + path_item(i), depth + 1, out);
      } else if (kw == "minItems" && v.is_array()) {
        if (v.size() < arg.get<std::size_t>()) fail(python_repr(v) + " is too short", kw);
      } else if (kw == "maxItems" && v.is_array()) {
        if (v.size() > arg.get<std::size_t>()) fail(python_repr(v) + " is too long", kw);
      } else if (kw == "uniqueItems" && v.is_array() && arg.get<bool>()) {
        for (std::size_t i = 0; i < v.size(); ++i)
          for (std::size_t j = i + 1; j < v.size(); ++j)
            if (v[i] == v[j]) {
              fail(python_repr(v) + " has non-unique elements", kw);
              i = j = v.size();
            }
      }
    }
  }
};

JsonSchema::JsonSchema(std::string_view schema_text) : impl_(std::make_unique<Impl>()) {
  try {
    impl_->schema = ojson::parse(schema_text);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("malformed JSON schema: ") + e.what());
  }
  impl_->compile_patterns(impl_->schema);
}

JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema::~JsonSchema() = default;

std::optional<SchemaError> JsonSchema::validate(const json& instance) const {
  std::vector<SchemaError> errors;
  impl_->check(impl_->schema, instance, "", "", 0, errors);
  if (errors.empty()) return std::nullopt;
  // The shallowest error wins; among equals, the first found (jsonschema's best_match).
  const SchemaError* best = &errors.front();
  for (const auto& e : errors)
    if (e.depth < best->depth) best = &e;
  return *best;
}

}  // namespace vgpu::api
