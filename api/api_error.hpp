#pragma once
// How a handler refuses a request: throw ApiError. PlacementApi turns it into Placement's error
// body in one place, so every handler reports errors the same way.
#include <stdexcept>
#include <string>
#include <string_view>

#include "api/errors.hpp"

namespace vgpu::api {

struct ApiError : std::runtime_error {
  ApiError(int status, std::string detail, std::string_view error_code = code::kUndefined)
      : std::runtime_error(detail), status(status), code(error_code) {}
  int status;
  std::string_view code;
};

inline ApiError bad_request(std::string detail, std::string_view c = code::kUndefined) {
  return {400, std::move(detail), c};
}
inline ApiError not_found(std::string detail, std::string_view c = code::kUndefined) {
  return {404, std::move(detail), c};
}
inline ApiError conflict(std::string detail, std::string_view c = code::kUndefined) {
  return {409, std::move(detail), c};
}

}  // namespace vgpu::api
