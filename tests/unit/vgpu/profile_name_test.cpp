#include <catch2/catch.hpp>

#include "scheduler/vgpu/profile_name.hpp"

using namespace vgpu::scheduler::vgpu;

TEST_CASE("Profile names: the two NVIDIA forms and their parts", "[vgpu]") {
  struct Case {
    std::string_view text;
    std::string_view board;
    int g;           // compute slices, 0 = time-sliced
    int gb;          // as written
    Series series;
    bool me;
    std::int64_t mb; // GB x 1024, 0 GB = 512 MB
  };
  const Case cases[] = {
      {"A40-4Q", "A40", 0, 4, Series::Q, false, 4096},
      {"L4-24C", "L4", 0, 24, Series::C, false, 24576},
      {"M60-0B", "M60", 0, 0, Series::B, false, 512},      // 0 = 512 MB on old boards
      {"A16-1A", "A16", 0, 1, Series::A, false, 1024},
      {"A100D-80C", "A100D", 0, 80, Series::C, false, 81920},
      {"A100-3-20C", "A100", 3, 20, Series::C, false, 20480},
      {"H100-1-10CME", "H100", 1, 10, Series::C, true, 10240},
      {"H100L-7-94C", "H100L", 7, 94, Series::C, false, 96256},  // 94 x 1024
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const auto name = parse_profile_name(c.text);
    REQUIRE(name);
    CHECK(name->board == c.board);
    CHECK(name->compute_slices == c.g);
    CHECK(name->is_mig() == (c.g > 0));
    CHECK(name->framebuffer_gb == c.gb);
    CHECK(name->series == c.series);
    CHECK(name->media_extension == c.me);
    CHECK(name->framebuffer_mb() == c.mb);
    CHECK(to_string(*name) == c.text);  // canonical form round-trips
  }
}

TEST_CASE("Profile names: sysfs spellings lose their vendor prefix and newline", "[vgpu]") {
  CHECK(to_string(*parse_profile_name("NVIDIA A40-4Q")) == "A40-4Q");
  CHECK(to_string(*parse_profile_name("GRID RTX6000-1Q\n")) == "RTX6000-1Q");
  CHECK(to_string(*parse_profile_name("  NVIDIA H100-1-10CME \n")) == "H100-1-10CME");
  CHECK_FALSE(parse_profile_name("NVIDIA NVIDIA A40-4Q"));  // one prefix only
  CHECK_FALSE(parse_profile_name("Tesla A40-4Q"));
}

TEST_CASE("Profile names: what is not a vGPU type name", "[vgpu]") {
  for (const std::string_view bad : {
           "", "A40", "A40-", "-4Q", "A40-4", "A40-Q", "A40-4X",  // no series / bad series
           "a40-4q",                                              // board codes are upper case
           "A40-04Q",                                             // no leading zero
           "A40-4QME",                                            // ME only on MIG-backed names
           "A100-0-5C", "A100-10-5C",                             // g is one digit 1-9
           "A100-3-C", "A100-3-20", "A100-3-20CM", "A100-1-ME",
           "A40_4Q", "A40-4Q-", "A-40-4Q", "A40 4Q", "A40-12345Q",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(parse_profile_name(bad));
  }
}

TEST_CASE("Profile names: Nova trait and resource class, both ways", "[vgpu]") {
  struct Case {
    std::string_view profile;
    std::string_view trait;
    std::string_view resource_class;
  };
  const Case cases[] = {
      {"A40-4Q", "CUSTOM_NVIDIA_A40_4Q", "CUSTOM_VGPU_A40_4Q"},
      {"M60-0B", "CUSTOM_NVIDIA_M60_0B", "CUSTOM_VGPU_M60_0B"},
      {"A100-3-20C", "CUSTOM_NVIDIA_A100_3_20C", "CUSTOM_VGPU_A100_3_20C"},
      {"H100-1-10CME", "CUSTOM_NVIDIA_H100_1_10CME", "CUSTOM_VGPU_H100_1_10CME"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.profile);
    const auto name = parse_profile_name(c.profile);
    REQUIRE(name);
    CHECK(nova_trait(*name) == c.trait);
    CHECK(nova_resource_class(*name) == c.resource_class);
    CHECK(profile_from_nova_trait(c.trait) == name);
    CHECK(profile_from_nova_resource_class(c.resource_class) == name);
  }
}

TEST_CASE("Profile names: other traits and classes map to nothing", "[vgpu]") {
  CHECK_FALSE(profile_from_nova_trait("CUSTOM_VGPU_A40_4Q"));      // a class, not a trait
  CHECK_FALSE(profile_from_nova_resource_class("CUSTOM_NVIDIA_A40_4Q"));
  CHECK_FALSE(profile_from_nova_resource_class("VGPU"));
  CHECK_FALSE(profile_from_nova_trait("HW_GPU_API_VULKAN"));
  CHECK_FALSE(profile_from_nova_trait("CUSTOM_NVIDIA_"));
  CHECK_FALSE(profile_from_nova_trait("CUSTOM_NVIDIA_A40"));
  CHECK_FALSE(profile_from_nova_trait("CUSTOM_NVIDIA_A40-4Q"));     // not Nova's spelling
  CHECK_FALSE(profile_from_nova_trait("CUSTOM_NVIDIA_NVIDIA A40_4Q"));
  CHECK_FALSE(profile_from_nova_trait("custom_nvidia_a40_4q"));
}
