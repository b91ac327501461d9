// The [vgpu] options: each from the file, the environment and a flag under its contract name;
// bad values refused naming the option; the catalog files merged over the shipped catalog (a bad
// row stops start-up with file:line); name mappings resolved against the merged catalog.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "service/config/flags.hpp"
#include "service/config/ini.hpp"
#include "service/config/resolve.hpp"
#include "service/config/vgpu_settings.hpp"

using namespace vgpu::config;
namespace sv = vgpu::scheduler::vgpu;
using Catch::Matchers::Contains;

namespace {

Sources laptop() {
  Sources s;
  s.environment = {{"HOME", "/home/ada"}};
  s.hardware_threads = 2;
  return s;
}

Sources with_flags(std::vector<std::string_view> args) {
  auto s = laptop();
  s.flags = parse_flags(args).settings;
  return s;
}

std::string error_of(const Sources& s) {
  try {
    resolve(s);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

template <typename F>
std::string error_of_call(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

// A temporary file removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::string& text, const std::string& stem = "catalog") {
    path = "/tmp/vgpu_config_test_" + std::to_string(::getpid()) + "_" + stem + ".csv";
    std::ofstream(path) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

}  // namespace

SCENARIO("the vGPU options have defaults that need no configuration", "[config]") {
  const Config c = resolve(laptop());
  CHECK(c.vgpu.boards_file.empty());
  CHECK(c.vgpu.profiles_file.empty());
  CHECK(c.vgpu.weights.packing == 1);
  CHECK(c.vgpu.weights.fragmentation == 1);
  CHECK(c.vgpu.weights.energy == 1);
  CHECK(c.vgpu.weights.spread == 0);
  CHECK(c.vgpu.licences.unit == sv::SeatUnit::per_vm);
  CHECK_FALSE(c.vgpu.licences.b_series_borrows_vws);
  CHECK_FALSE(c.vgpu.wake_standby_hosts);
  CHECK(c.vgpu.request_mix_half_life_seconds == 3600);
  CHECK(c.vgpu.resource_class_map.empty());

  const auto config = build_vgpu_config(c.vgpu, {});
  REQUIRE(config);
  CHECK(config->catalog.find_profile("A40-4Q").has_value());
  CHECK(config->request_mix.half_life_seconds == 3600);
}

SCENARIO("every vGPU option is set from file, environment or flag", "[config]") {
  GIVEN("a file with every option") {
    auto s = laptop();
    s.file = settings_from_ini(parse_ini("[DEFAULT]\n"
                                         "vgpu_boards_file = /etc/b.csv\n"
                                         "vgpu_profiles_file = /etc/p.csv\n"
                                         "vgpu_weight_packing = 2\n"
                                         "vgpu_weight_fragmentation = 0.5\n"
                                         "vgpu_weight_energy = 0\n"
                                         "vgpu_weight_spread = 1.25\n"
                                         "vgpu_licence_unit = per_vgpu\n"
                                         "vgpu_b_borrows_vws = true\n"
                                         "vgpu_wake_standby_hosts = yes\n"
                                         "vgpu_request_mix_half_life = 600\n"
                                         "vgpu_resource_class_map = CUSTOM_GOLD:A40-4Q, "
                                         "CUSTOM_SILVER : A40-2Q\n"
                                         "vgpu_trait_map = CUSTOM_VDI:A16-1B\n"
                                         "vgpu_mdev_type_map = nvidia-558:A40-4Q\n",
                                         "v.conf"),
                               "v.conf");
    const Config c = resolve(s);
    CHECK(c.vgpu.boards_file == "/etc/b.csv");
    CHECK(c.vgpu.profiles_file == "/etc/p.csv");
    CHECK(c.vgpu.weights.packing == 2);
    CHECK(c.vgpu.weights.fragmentation == 0.5);
    CHECK(c.vgpu.weights.energy == 0);
    CHECK(c.vgpu.weights.spread == 1.25);
    CHECK(c.vgpu.licences.unit == sv::SeatUnit::per_vgpu);
    CHECK(c.vgpu.licences.b_series_borrows_vws);
    CHECK(c.vgpu.wake_standby_hosts);
    CHECK(c.vgpu.request_mix_half_life_seconds == 600);
    using Map = std::vector<std::pair<std::string, std::string>>;
    CHECK(c.vgpu.resource_class_map == Map{{"CUSTOM_GOLD", "A40-4Q"}, {"CUSTOM_SILVER", "A40-2Q"}});
    CHECK(c.vgpu.trait_map == Map{{"CUSTOM_VDI", "A16-1B"}});
    CHECK(c.vgpu.mdev_type_map == Map{{"nvidia-558", "A40-4Q"}});

    WHEN("the environment and a flag override two of them") {
      s.environment["VGPU_PLACEMENT_VGPU_WEIGHT_PACKING"] = "3";
      s.environment["VGPU_PLACEMENT_VGPU_LICENCE_UNIT"] = "per_vm";
      s.flags = parse_flags(std::vector<std::string_view>{"--vgpu-weight-packing", "4",
                                                          "--vgpu-b-borrows-vws=false"})
                    .settings;
      const Config o = resolve(s);
      THEN("flag > environment > file") {
        CHECK(o.vgpu.weights.packing == 4);
        CHECK(o.vgpu.licences.unit == sv::SeatUnit::per_vm);
        CHECK_FALSE(o.vgpu.licences.b_series_borrows_vws);
      }
    }
  }
  GIVEN("the switches as bare flags") {
    const Config c = resolve(with_flags({"--vgpu-b-borrows-vws", "--vgpu-wake-standby-hosts"}));
    CHECK(c.vgpu.licences.b_series_borrows_vws);
    CHECK(c.vgpu.wake_standby_hosts);
  }
}

SCENARIO("bad vGPU option values are refused naming the option", "[config]") {
  struct Case {
    const char* what;
    std::vector<std::string_view> args;
    std::vector<const char*> expected;
  };
  const std::vector<Case> cases = {
      {"negative weight", {"--vgpu-weight-energy", "-1"},
       {"'vgpu_weight_energy'", "flag --vgpu-weight-energy", "\"energy\"", ">= 0"}},
      {"weight not a number", {"--vgpu-weight-packing", "lots"},
       {"'vgpu_weight_packing'", "expected a number", "lots"}},
      {"infinite weight", {"--vgpu-weight-spread", "inf"}, {"'vgpu_weight_spread'"}},
      {"all weights zero",
       {"--vgpu-weight-packing", "0", "--vgpu-weight-fragmentation", "0", "--vgpu-weight-energy",
        "0"},
       {"vgpu_weight_packing", "vgpu_weight_spread", "must not all be 0"}},
      {"unknown licence unit", {"--vgpu-licence-unit", "per_socket"},
       {"'vgpu_licence_unit'", "per_vm or per_vgpu", "per_socket"}},
      {"bad boolean", {"--vgpu-b-borrows-vws=sometimes"}, {"'vgpu_b_borrows_vws'", "true or false"}},
      {"zero half-life", {"--vgpu-request-mix-half-life", "0"},
       {"'vgpu_request_mix_half_life'", "> 0"}},
      {"mapping without a colon", {"--vgpu-resource-class-map", "CUSTOM_GOLD"},
       {"'vgpu_resource_class_map'", "NAME:PROFILE", "CUSTOM_GOLD"}},
      {"mapping a standard class", {"--vgpu-resource-class-map", "VGPU:A40-4Q"},
       {"'vgpu_resource_class_map'", "'VGPU'", "CUSTOM_"}},
      {"mapping to a non-profile", {"--vgpu-trait-map", "CUSTOM_X:A40-four-Q"},
       {"'vgpu_trait_map'", "'A40-four-Q'", "not a vGPU profile name"}},
      {"a name mapped twice", {"--vgpu-mdev-type-map", "nvidia-558:A40-4Q,nvidia-558:A40-2Q"},
       {"'vgpu_mdev_type_map'", "'nvidia-558' is mapped twice"}},
      {"a bad mdev type", {"--vgpu-mdev-type-map", "nvidia 558:A40-4Q"},
       {"'vgpu_mdev_type_map'", "mdev type"}},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      const std::string message = error_of(with_flags(c.args));
      for (const char* part : c.expected) CHECK_THAT(message, Contains(part));
    }
  }
}

SCENARIO("name mappings resolve to profiles of the running catalog", "[config]") {
  VgpuOptions o;
  o.resource_class_map = {{"CUSTOM_GOLD", "A40-4Q"}};
  o.trait_map = {{"CUSTOM_VDI", "A16-1B"}};
  o.mdev_type_map = {{"nvidia-558", "A40-4Q"}};
  const auto config = build_vgpu_config(o, {});
  const auto a40_4q = config->catalog.find_profile("A40-4Q");
  REQUIRE(a40_4q);
  REQUIRE(config->names.resource_classes.size() == 1);
  CHECK(config->names.resource_classes[0].first == "CUSTOM_GOLD");
  CHECK(config->names.resource_classes[0].second == *a40_4q);
  CHECK(config->names.traits[0].second == *config->catalog.find_profile("A16-1B"));
  CHECK(config->names.mdev_types[0].second == *a40_4q);

  WHEN("a mapping names a profile the catalog lacks") {
    o.trait_map = {{"CUSTOM_FAST", "H200-7-141C"}};
    THEN("start-up stops naming the option, the profile and the Nova name") {
      const std::string message = error_of_call([&] { build_vgpu_config(o, {}); });
      CHECK_THAT(message, Contains("'vgpu_trait_map'") && Contains("'H200-7-141C'") &&
                              Contains("CUSTOM_FAST") && Contains("not in the vGPU catalog"));
    }
  }
}

SCENARIO("operator catalog files override the shipped catalog", "[config]") {
  GIVEN("a profiles file that changes A40-4Q's maximum and adds a board with its profile") {
    TempFile boards("board,framebuffer_mb,idle_watts,busy_watts\nX1,16384,10,70\n", "boards");
    TempFile profiles(
        "# site overrides\n"
        "board,profile,series,framebuffer_mb,max_equal_size\n"
        "A40,A40-4Q,Q,4096,8\n"
        "X1,X1-4Q,Q,4096,4\n",
        "profiles");
    VgpuOptions o;
    o.boards_file = boards.path;
    o.profiles_file = profiles.path;
    o.resource_class_map = {{"CUSTOM_X1_SMALL", "X1-4Q"}};
    const auto config = load_vgpu_config(o);
    THEN("the shipped row is replaced and the new ones added, mappings may name them") {
      const auto a40 = config->catalog.find_profile("A40-4Q");
      REQUIRE(a40);
      CHECK(config->catalog.profile(*a40).max_equal_size == 8);
      REQUIRE(config->catalog.find_profile("X1-4Q"));
      CHECK(config->catalog.find_profile("A40-2Q"));  // the rest of the shipped catalog stays
      CHECK(config->names.resource_classes[0].second == *config->catalog.find_profile("X1-4Q"));
    }
  }
  GIVEN("a profiles file with a bad row on line 3") {
    TempFile profiles(
        "board,profile,series,framebuffer_mb,max_equal_size\n"
        "A40,A40-4Q,Q,4096,8\n"
        "A40,A40-5Q,Q,4096,many\n",
        "bad");
    VgpuOptions o;
    o.profiles_file = profiles.path;
    THEN("start-up stops with file:line: message") {
      const std::string message = error_of_call([&] { load_vgpu_config(o); });
      CHECK_THAT(message, Contains(profiles.path + ":3:"));
    }
  }
  GIVEN("a catalog file that cannot be read") {
    VgpuOptions o;
    o.boards_file = "/nonexistent/boards.csv";
    THEN("the message names the option and the path") {
      const std::string message = error_of_call([&] { load_vgpu_config(o); });
      CHECK_THAT(message, Contains("'vgpu_boards_file'") && Contains("/nonexistent/boards.csv"));
    }
  }
}
