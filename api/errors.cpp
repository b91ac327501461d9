#include "api/errors.hpp"

#include <nlohmann/json.hpp>

namespace vgpu::api {

std::string_view status_title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

Response error_response(int status, std::string_view detail, std::string_view error_code,
                        std::string_view request_id) {
  nlohmann::json err = {
      {"status", status},
      {"title", std::string(status_title(status))},
      {"detail", std::string(detail)},
      {"code", std::string(error_code)},
      {"request_id", std::string(request_id)},
  };
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = nlohmann::json{{"errors", nlohmann::json::array({err})}}.dump();
  return r;
}

}  // namespace vgpu::api
