#include "api/handler_util.hpp"

#include <chrono>
#include <ctime>
#include <random>

#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

std::string media_type(const std::string* header) {
  if (!header) return {};
  std::string t = header->substr(0, header->find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t;
}

}  // namespace

void require_json_content(const Context& ctx) {
  const std::string type = media_type(ctx.request.header("Content-Type"));
  if (type != "application/json") {
    throw ApiError(415, "The media type " + (type.empty() ? std::string("None") : type) +
                            " is not supported, use application/json");
  }
}

void check_accept_json(const Context& ctx) {
  const std::string* accept = ctx.request.header("Accept");
  if (!accept || accept->empty()) return;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string item(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const std::string type = media_type(&item);
    const auto q = item.find("q=");
    const bool refused = q != std::string::npos && std::strtod(item.c_str() + q + 2, nullptr) <= 0;
    if (!refused && (type == "application/json" || type == "application/*" || type == "*/*"))
      return;
  }
  throw ApiError(406, "Only application/json is provided");
}

nlohmann::json parse_body(const Context& ctx, const JsonSchema& schema) {
  nlohmann::json data;
  try {
    data = nlohmann::json::parse(ctx.request.body);
  } catch (const nlohmann::json::parse_error& e) {
    throw bad_request(std::string("Malformed JSON: ") + e.what());
  }
  if (auto error = schema.validate(data)) {
    throw bad_request("JSON does not validate: " + error->describe());
  }
  return data;
}

void validate_query(const Context& ctx, const JsonSchema& schema) {
  nlohmann::json flat = nlohmann::json::object();
  for (const auto& [k, v] : ctx.query.items()) flat[k] = v;
  if (auto error = schema.validate(flat)) {
    throw bad_request("Invalid query string parameters: " + error->describe());
  }
}

Response json_response(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

Response empty_response(int status) {
  Response r;
  r.status = status;
  return r;
}

std::string absolute_url(const Context& ctx, const std::string& path) {
  const std::string* host = ctx.request.header("Host");
  if (!host || host->empty()) return path;
  return "http://" + *host + path;
}

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

scheduler::Uuid random_uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  scheduler::Uuid u;
  for (std::size_t i = 0; i < 16; i += 8) {
    const auto r = rng();
    for (std::size_t k = 0; k < 8; ++k) u.bytes[i + k] = static_cast<std::uint8_t>(r >> (8 * k));
  }
  u.bytes[6] = static_cast<std::uint8_t>((u.bytes[6] & 0x0F) | 0x40);  // version 4
  u.bytes[8] = static_cast<std::uint8_t>((u.bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return u;
}

std::string http_date(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

void set_cache_headers(const Context& ctx, Response& r, std::int64_t modified_unix) {
  if (!ctx.at_least(1, 15)) return;
  r.set_header("Last-Modified", http_date(modified_unix > 0 ? modified_unix : now_unix()));
  r.set_header("Cache-Control", "no-cache");
}

void refresh_snapshot(Context& ctx) {
  ctx.earlier_states.push_back(ctx.state);
  ctx.state = ctx.store.snapshot();
}

const scheduler::Provider& commit_provider(Context& ctx, const scheduler::Provider& current,
                                           scheduler::Provider next, const ProviderCommit& how) {
  const scheduler::ProviderId id = current.id;
  next.generation = how.bump ? current.generation + 1 : current.generation;
  next.updated_at = now_unix();
  scheduler::ChangeSet changes;
  scheduler::UpdateProvider update{std::move(next), current.generation, how.parts};
  update.bump_generation = how.bump;
  changes.add(std::move(update));
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict& c) {
    if (c.kind == store::ConflictKind::kMissing && !how.missing_detail.empty())
      throw bad_request(how.missing_detail);
    throw conflict(how.conflict_detail, how.conflict_code);
  }
  refresh_snapshot(ctx);
  return *ctx.state->provider(id);
}

const scheduler::Provider& provider_from_path(const Context& ctx,
                                              std::string_view missing_detail) {
  const std::string& text = ctx.param("uuid");
  const scheduler::Provider* p = nullptr;
  if (auto uuid = scheduler::Uuid::parse(text)) p = ctx.state->provider(*uuid);
  if (p) return *p;
  std::string detail = missing_detail.empty()
                           ? "No resource provider with uuid " + text + " found"
                           : std::string(missing_detail);
  if (auto pos = detail.find("%s"); pos != std::string::npos) detail.replace(pos, 2, text);
  throw not_found(detail);
}

}  // namespace vgpu::api
