#include "api/request_params.hpp"

#include "api/api_error.hpp"
#include "api/text.hpp"

namespace vgpu::api {

TraitNames parse_required(const Context& ctx, const std::string& suffix) {
  const bool allow_forbidden = ctx.at_least(1, 22);
  const bool allow_any = ctx.at_least(1, 39);
  std::vector<std::string> values = ctx.query.get_all("required" + suffix);
  if (!allow_any && values.size() > 1) values.erase(values.begin(), values.end() - 1);
  TraitNames out;
  for (const std::string& val : values) {
    if (starts_with(val, "in:")) {
      if (!allow_any)
        throw bad_request("Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: " + val);
      std::set<std::string> any;
      for (const auto& t : split(val.substr(3), ',')) any.insert(strip(t));
      if (any.count(""))
        throw bad_request("Invalid query string parameters: Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: " + val);
      for (const auto& t : any)
        if (starts_with(t, "!"))
          throw bad_request("Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: " + val);
      out.required_any.push_back(std::move(any));
      continue;
    }
    std::vector<std::string> all;
    for (const auto& t : split(val, ',')) all.push_back(strip(t));
    bool empty = false;
    std::set<std::string> forbidden;
    for (const auto& t : all) {
      empty = empty || t.empty() || t == "!";
      if (starts_with(t, "!")) forbidden.insert(t.substr(t.find_first_not_of('!') == std::string::npos ? t.size() : t.find_first_not_of('!')));
    }
    if (empty) {
      const std::string form = allow_forbidden ? "HW_CPU_X86_VMX,!CUSTOM_MAGIC" : "HW_CPU_X86_VMX,CUSTOM_MAGIC";
      throw bad_request("Invalid query string parameters: Expected 'required' parameter value of the form: " + form + ". Got an empty trait in: " + val);
    }
    if (!forbidden.empty() && !allow_forbidden)
      throw bad_request("Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: " + val);
    for (const auto& t : all)
      if (!starts_with(t, "!")) out.required_any.push_back({t});
    out.forbidden.insert(forbidden.begin(), forbidden.end());
  }
  return out;
}

scheduler::AggregateRule parse_member_of(const Context& ctx, const std::string& suffix) {
  const std::vector<std::string> values = ctx.query.get_all("member_of" + suffix);
  if (!ctx.at_least(1, 24) && values.size() > 1)
    throw bad_request("Multiple member_of" + suffix + " parameters are not supported");
  scheduler::AggregateRule rule;
  for (const std::string& value : values) {
    if (value.find(',') != std::string::npos && !starts_with(value, "in:") && !starts_with(value, "!in:"))
      throw bad_request("Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: " + value);
    std::vector<std::string> required, forbidden;
    if (starts_with(value, "!in:")) forbidden = split(value.substr(4), ',');
    else if (starts_with(value, "!")) forbidden = {value.substr(1)};
    else if (starts_with(value, "in:")) required = split(value.substr(3), ',');
    else required = {value};
    std::vector<scheduler::Uuid> req_ids, forb_ids;
    for (auto* list : {&required, &forbidden}) {
      for (const auto& text : *list) {
        auto u = scheduler::Uuid::parse(text);
        if (!u)
          throw bad_request("Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: " + text);
        (list == &required ? req_ids : forb_ids).push_back(*u);
      }
    }
    if (!req_ids.empty()) rule.member_of_any.push_back(std::move(req_ids));
    if (!forb_ids.empty()) {
      if (!ctx.at_least(1, 32))
        throw bad_request("Forbidden member_of" + suffix + " parameters are not supported in the specified microversion");
      rule.forbidden.insert(rule.forbidden.end(), forb_ids.begin(), forb_ids.end());
    }
  }
  return rule;
}

std::vector<std::pair<std::string, std::int64_t>> parse_resources(const std::string& value) {
  const std::string kForm =
      "Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: ";
  if (strip(value).empty()) throw bad_request(kForm + "empty string.");
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const std::string& item : split(value, ',')) {
    const auto parts = split(item, ':');
    if (parts.size() != 2) throw bad_request(kForm + item + ".");
    const std::string& name = parts[0];
    const std::string amount_text = strip(parts[1]);
    char* end = nullptr;
    errno = 0;
    const long long amount = std::strtoll(amount_text.c_str(), &end, 10);
    if (amount_text.empty() || *end != '\0' || errno == ERANGE)
      throw bad_request("Requested resource " + name + " expected positive integer amount. Got: " + parts[1] + ".");
    if (amount < 1)
      throw bad_request("Requested resource " + name + " requires amount >= 1. Got: " + std::to_string(amount) + ".");
    bool replaced = false;
    for (auto& [n, a] : out)
      if (n == name) a = amount, replaced = true;
    if (!replaced) out.emplace_back(name, amount);
  }
  return out;
}

scheduler::Uuid parse_in_tree(const std::string& value) {
  auto u = scheduler::Uuid::parse(strip(value));
  if (!u)
    throw bad_request("Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: " + value);
  return *u;
}

scheduler::TraitRule resolve_traits(const Context& ctx, const TraitNames& names,
                                    const std::string& prefix) {
  scheduler::TraitRule rule;
  std::vector<std::string> missing;
  auto lookup = [&](const std::string& name) -> scheduler::TraitId {
    if (auto id = ctx.state->traits().id_of(name)) return *id;
    missing.push_back(name);
    return -1;
  };
  for (const auto& any : names.required_any) {
    std::vector<scheduler::TraitId> ids;
    for (const auto& n : any) ids.push_back(lookup(n));
    rule.required_any.push_back(std::move(ids));
  }
  for (const auto& n : names.forbidden) rule.forbidden.push_back(lookup(n));
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    throw bad_request(prefix + "No such trait(s): " + list + ".");
  }
  return rule;
}

}  // namespace vgpu::api
