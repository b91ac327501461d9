#include <catch2/catch.hpp>

#include "api/microversion.hpp"

using namespace vgpu::api;

TEST_CASE("microversion header negotiation", "[api]") {
  const VersionRange range{{1, 0}, {1, 7}};
  struct Case { const char* header; VersionParse result; Version version; };
  const Case cases[] = {
      {"placement 1.2", VersionParse::kOk, {1, 2}},
      {"placement latest", VersionParse::kOk, {1, 7}},
      {"compute 2.1, placement 1.5", VersionParse::kOk, {1, 5}},
      {"compute 2.1", VersionParse::kOk, {1, 0}},  // not ours: the minimum
      {"placement 1.8", VersionParse::kOutOfRange, {1, 8}},
      {"placement 0.5", VersionParse::kOutOfRange, {0, 5}},
      {"placement pony.horse", VersionParse::kBadFormat, {1, 0}},
      {"placement 1.2.3", VersionParse::kBadFormat, {1, 0}},
  };
  for (const auto& c : cases) {
    INFO(c.header);
    const std::string header = c.header;
    const auto parsed = parse_version_header(&header, range);
    CHECK(parsed.result == c.result);
    if (c.result != VersionParse::kBadFormat) CHECK(parsed.version == c.version);
  }
  CHECK(parse_version_header(nullptr, range).version == Version{1, 0});
}
