#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "scheduler/vgpu/catalog_csv.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "scheduler/vgpu/profile_name.hpp"

using namespace vgpu::scheduler::vgpu;

namespace {

// Two boards small enough to reason about: A40 (mixed-size, 48 slots of 1 GB) and A100D
// (MIG, 7 compute / 8 memory slices).
constexpr std::string_view kBoards =
    "board,framebuffer_mb,mixed_size_capable,mixed_size_slots,mig_capable,mig_compute_slices,"
    "mig_memory_slices\n"
    "A40,49152,yes,48,no,0,0\n"
    "A100D,81920,no,0,yes,7,8\n";

constexpr std::string_view kProfileHeader =
    "board,profile,series,framebuffer_mb,max_equal_size,max_mixed_size,mixed_slots,mixed_starts,"
    "mig_profile,max_mig,mig_slices,mig_starts\n";

CatalogResult parse(std::string_view profile_rows, std::string_view boards = kBoards) {
  const std::string profiles = std::string(kProfileHeader) + std::string(profile_rows);
  return parse_catalog({"b.csv", boards}, {"p.csv", profiles});
}

std::vector<std::string> messages(const CatalogResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(e.to_string());
  return out;
}

const Profile& profile(const Catalog& c, std::string_view name) {
  const auto i = c.find_profile(name);
  REQUIRE(i);
  return c.profile(*i);
}

const Board& board(const Catalog& c, std::string_view name) {
  const auto i = c.find_board(name);
  REQUIRE(i);
  return c.board(*i);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The shipped catalog

TEST_CASE("Shipped catalog: parses without errors", "[vgpu]") {
  const auto layer = default_catalog_layer();
  const auto result = parse_catalog(layer.boards, layer.profiles);
  INFO((result.errors.empty() ? std::string() : result.errors.front().to_string()));
  REQUIRE(result.ok());
  REQUIRE(default_catalog());
  CHECK(default_catalog()->profiles().size() == result.catalog->profiles().size());
}

TEST_CASE("Shipped catalog: vgpu.md's spot values", "[vgpu]") {
  const Catalog c = *default_catalog();
  struct Case {
    std::string_view profile;
    int max_equal_size;
  };
  // vgpu.md §2: capped below floor(fb / profile fb) for the smallest profiles.
  const Case cases[] = {
      {"A40-1Q", 32},   // not 48
      {"A40-2Q", 24},
      {"A40-3Q", 16},   // 48 / 3
      {"A40-4Q", 12},
      {"L4-1Q", 24},
      {"A16-1Q", 16},   // per GPU; x 4 GPUs = 64 per board
      {"A100-4C", 10},  // 40 / 4
      {"H100-5C", 16},  // 80 / 5
      {"M10-0B", 16},   // 8192 / 512
  };
  for (const Case& k : cases) {
    CAPTURE(k.profile);
    CHECK(profile(c, k.profile).max_equal_size == k.max_equal_size);
  }
  CHECK(board(c, "A16").gpus_per_board == 4);
  CHECK(board(c, "A16").framebuffer_mb == 16384);
  CHECK(board(c, "A40").framebuffer_mb == 49152);
  CHECK(board(c, "L4").framebuffer_mb == 24576);
  CHECK(board(c, "A100").framebuffer_mb == 40960);
  CHECK(board(c, "A100D").framebuffer_mb == 81920);  // the A100 80GB's code
  CHECK(board(c, "H100").framebuffer_mb == 81920);
  CHECK(board(c, "M10").gpus_per_board == 4);
  CHECK(board(c, "M10").framebuffer_mb == 8192);
  CHECK(profile(c, "A40-4Q").edition == Edition::rtx_vws);
  CHECK(profile(c, "A40-2B").edition == Edition::vpc);
  CHECK(profile(c, "A40-4A").edition == Edition::vapps);
  CHECK(profile(c, "A40-4C").edition == Edition::ai_enterprise);
}

TEST_CASE("Shipped catalog: MIG geometry of vgpu.md §3", "[vgpu]") {
  const Catalog c = *default_catalog();
  CHECK(board(c, "A100D").mig_compute_slices == 7);
  CHECK(board(c, "A100D").mig_memory_slices == 8);
  CHECK(board(c, "A30").mig_compute_slices == 4);
  CHECK(board(c, "A30").mig_memory_slices == 4);
  struct Case {
    std::string_view profile;
    std::string_view mig_profile;
    int g, size, max;
    std::vector<int> starts;
  };
  const Case cases[] = {
      {"A100D-1-10C", "1g.10gb", 1, 1, 7, {0, 1, 2, 3, 4, 5, 6}},
      {"A100D-1-10CME", "1g.10gb+me", 1, 1, 1, {0, 1, 2, 3, 4, 5, 6}},
      {"A100D-1-20C", "1g.20gb", 1, 2, 4, {0, 2, 4, 6}},
      {"A100D-2-20C", "2g.20gb", 2, 2, 3, {0, 2, 4}},
      {"A100D-3-40C", "3g.40gb", 3, 4, 2, {0, 4}},
      {"A100D-4-40C", "4g.40gb", 4, 4, 1, {0}},
      {"A100D-7-80C", "7g.80gb", 7, 8, 1, {0}},
      {"A100-1-5C", "1g.5gb", 1, 1, 7, {0, 1, 2, 3, 4, 5, 6}},
      {"H100-3-40C", "3g.40gb", 3, 4, 2, {0, 4}},
      {"A30-1-6C", "1g.6gb", 1, 1, 4, {0, 1, 2, 3}},
      {"A30-2-12C", "2g.12gb", 2, 2, 2, {0, 2}},
      {"A30-4-24C", "4g.24gb", 4, 4, 1, {0}},
  };
  for (const Case& k : cases) {
    CAPTURE(k.profile);
    const Profile& p = profile(c, k.profile);
    REQUIRE(p.is_mig());
    CHECK(p.mig_profile == k.mig_profile);
    CHECK(p.mig_compute_slices == k.g);
    CHECK(p.max_mig == k.max);
    REQUIRE(p.mig_placement);
    CHECK(p.mig_placement->size == k.size);
    CHECK(p.mig_placement->starts == k.starts);
    CHECK(p.max_equal_size == 0);  // MIG-backed: offered in MIG mode only
    CHECK_FALSE(p.mixed_placement);
  }
}

TEST_CASE("Shipped catalog: modelled mixed-size placements are aligned", "[vgpu]") {
  const Catalog c = *default_catalog();
  CHECK(board(c, "A40").mixed_size_slots == 48);  // 48 GB in 1 GB slots
  const Profile& a40_8q = profile(c, "A40-8Q");
  REQUIRE(a40_8q.mixed_placement);
  CHECK(a40_8q.mixed_placement->size == 8);
  CHECK(a40_8q.mixed_placement->starts == std::vector<int>{0, 8, 16, 24, 32, 40});
  CHECK(a40_8q.max_mixed_size == 6);  // min(6, 48 / 8)
  CHECK(profile(c, "A40-1Q").max_mixed_size == 32);  // min(32, 48 / 1)
  CHECK_FALSE(board(c, "M10").mixed_size_capable);
  CHECK_FALSE(profile(c, "M10-1Q").mixed_placement);

  // Every board's mixed-size and MIG placements: start + size on the axis, aligned to the
  // size (the modelled default), and every time-sliced max within floor(fb / profile fb).
  for (const Profile& p : c.profiles()) {
    CAPTURE(p.name);
    const Board& b = c.board(p.board);
    CHECK(parse_profile_name(p.name)->board == b.name);
    if (!p.is_mig()) {
      CHECK(p.max_equal_size <= b.framebuffer_mb / p.framebuffer_mb);
    }
    if (p.mixed_placement) {
      for (const int s : p.mixed_placement->starts) {
        CHECK(s % p.mixed_placement->size == 0);
        CHECK(s + p.mixed_placement->size <= b.mixed_size_slots);
      }
      // slot size x size = framebuffer
      CHECK(b.framebuffer_mb / b.mixed_size_slots * p.mixed_placement->size == p.framebuffer_mb);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

TEST_CASE("Catalog CSV: columns by header name, comments and blank lines", "[vgpu]") {
  // `#` starts a comment only at the start of a line: fields are not comment-stripped.
  const auto r = parse_catalog({"b.csv", "# boards\n\nframebuffer_mb , board\n49152,A40\n"},
                               {"p.csv",
                                "# a comment\n"
                                "profile,framebuffer_mb,board,series,max_equal_size\n"
                                "\n"
                                "A40-4Q,4096,A40,Q,12 # twelve\n"});
  CHECK(messages(r) ==
        std::vector<std::string>{"p.csv:4: max_equal_size \"12 # twelve\" is not a whole number"});

  const auto ok = parse_catalog({"b.csv", "framebuffer_mb , board\n49152,A40\n"},
                                {"p.csv", "profile,framebuffer_mb,board,series,max_equal_size\n"
                                          "A40-4Q, 4096 ,A40,Q,12\n"});
  REQUIRE(ok.ok());
  const Catalog& c = *ok.catalog;
  CHECK(board(c, "A40").gpus_per_board == 1);  // default
  CHECK_FALSE(board(c, "A40").mixed_size_capable);
  CHECK(profile(c, "A40-4Q").max_equal_size == 12);
  CHECK(profile(c, "A40-4Q").board == *c.find_board("A40"));
  CHECK(profile(c, "A40-4Q").edition == Edition::rtx_vws);
  CHECK(c.profiles_of(*c.find_board("A40")) == std::vector<ProfileIndex>{0});
  CHECK_FALSE(c.find_profile("A40-8Q"));
}

TEST_CASE("Catalog CSV: an edition column overrides the series' edition", "[vgpu]") {
  // Before vGPU 17 a vWS seat licensed C-series vGPUs.
  const auto r =
      parse_catalog({"b.csv", "board,framebuffer_mb\nA40,49152\n"},
                    {"p.csv", "board,profile,series,edition,framebuffer_mb,max_equal_size\n"
                              "A40,A40-4C,C,rtx_vws,4096,12\n"
                              "A40,A40-8C,C,,8192,6\n"});
  REQUIRE(r.ok());
  CHECK(profile(*r.catalog, "A40-4C").edition == Edition::rtx_vws);
  CHECK(profile(*r.catalog, "A40-8C").edition == Edition::ai_enterprise);
}

TEST_CASE("Catalog CSV: every profile error names its file and line", "[vgpu]") {
  // Line 1 is the header; the row under test is line 2.
  struct Case {
    std::string_view row;
    std::string_view error;
  };
  const Case cases[] = {
      {"A40,A40-4Q,Q,4096,x,,,,,,,",
       "p.csv:2: max_equal_size \"x\" is not a whole number"},
      {"A40,A40-4Q,Q,4096,-1,,,,,,,",
       "p.csv:2: max_equal_size \"-1\" is not a whole number"},
      {"L4,L4-1Q,Q,1024,24,,,,,,,",
       "p.csv:2: unknown board \"L4\" for profile L4-1Q"},
      {"A40,A40-4Q,X,4096,12,,,,,,,",
       "p.csv:2: series \"X\" is not one of A, B, C, Q"},
      {"A40,A40-96Q,Q,98304,1,,,,,,,",
       "p.csv:2: framebuffer_mb 98304 is more than board A40's 49152 per GPU"},
      // 49152 / 4096 = 12
      {"A40,A40-4Q,Q,4096,13,,,,,,,",
       "p.csv:2: max_equal_size 13 is more than floor(49152 / 4096) = 12"},
      {"A40,A40-8Q,Q,8192,6,6,8,8 0,,,,",
       "p.csv:2: mixed_starts \"8 0\" is not a strictly ascending list of starts (N, A-B or "
       "A-B/S)"},
      {"A40,A40-8Q,Q,8192,6,6,8,0-8/8 8,,,,",  // 8 twice
       "p.csv:2: mixed_starts \"0-8/8 8\" is not a strictly ascending list of starts (N, A-B or "
       "A-B/S)"},
      // 48 slots: a start of 44 with 8 slots ends at 52.
      {"A40,A40-8Q,Q,8192,6,6,8,0 44,,,,",
       "p.csv:2: mixed start 44 + size 8 runs past board A40's 48 slots"},
      {"A40,A40-8Q,Q,8192,6,6,49,0,,,,",
       "p.csv:2: mixed size 49 is more than board A40's 48 slots"},
      {"A40,A40-8Q,Q,8192,6,6,8,0 8,,,,",
       "p.csv:2: max_mixed_size 6 is more than its 2 allowed starts"},
      {"A40,A40-8Q,Q,8192,6,6,8,,,,,",
       "p.csv:2: mixed_slots and mixed_starts go together"},
      {"A40,A40-8Q,Q,8192,6,,8,0-40/8,,,,",
       "p.csv:2: mixed placement given but max_mixed_size is 0"},
      {"A40,A40-1-5C,C,5120,,,,,1g.5gb,7,1,0-6",
       "p.csv:2: MIG-backed profile A40-1-5C on board A40, which is not MIG capable"},
      {"A40,A40_4Q,Q,4096,12,,,,,,,",
       "p.csv:2: profile \"A40_4Q\" is not an NVIDIA vGPU type name (<GPU>-<GB><S> or "
       "<GPU>-<g>-<GB><S>[ME])"},
      {"A40,NVIDIA A40-4Q,Q,4096,12,,,,,,,",  // sysfs spelling is not a catalog name
       "p.csv:2: profile \"NVIDIA A40-4Q\" is not an NVIDIA vGPU type name (<GPU>-<GB><S> or "
       "<GPU>-<g>-<GB><S>[ME])"},
      {"A40,L40S-4Q,Q,4096,12,,,,,,,",
       "p.csv:2: profile L40S-4Q names board L40S but the board column says A40"},
      {"A40,A40-4Q,B,4096,12,,,,,,,",
       "p.csv:2: profile A40-4Q is series Q but the series column says B"},
      {"A40,A40-4Q,Q,4000,12,,,,,,,",
       "p.csv:2: profile A40-4Q promises 4096 MB but framebuffer_mb is 4000"},
      {"A40,A40-4Q,Q,4096,,,,,,,,",
       "p.csv:2: profile A40-4Q is offered in no mode (max_equal_size and max_mixed_size are 0)"},
      {"A40,A40-4Q,Q,4096,12,,,,,,",
       "p.csv:2: row has 11 fields, the header has 12"},
      {"A100D,A100D-3-40C,C,40960,,,,,4g.40gb,2,4,0 4",
       "p.csv:2: mig_profile 4g.40gb does not match profile A100D-3-40C"},
      {"A100D,A100D-3-40C,C,40960,,,,,3g40gb,2,4,0 4",
       "p.csv:2: mig_profile \"3g40gb\" is not <g>g.<N>gb[+me]"},
      {"A100D,A100D-3-40C,C,40960,,,,,,2,4,0 4",
       "p.csv:2: profile A100D-3-40C is MIG-backed but mig_profile is empty"},
      {"A100D,A100D-3-40C,C,40960,1,,,,3g.40gb,2,4,0 4",
       "p.csv:2: MIG-backed profile A100D-3-40C is offered only in MIG mode (max_equal_size, "
       "max_mixed_size and mixed placements must be empty)"},
      // 8 memory slices: 3g at 6 would end at 10.
      {"A100D,A100D-3-40C,C,40960,,,,,3g.40gb,2,4,0 6",
       "p.csv:2: mig start 6 + size 4 runs past board A100D's 8 memory slices"},
      // 4 x 2g = 8 compute slices > 7.
      {"A100D,A100D-2-20C,C,20480,,,,,2g.20gb,4,2,0-6/2",
       "p.csv:2: max_mig 4 x 2 compute slices is more than board A100D's 7"},
      {"A100D,A100D-80C,C,81920,1,,,,,1,,",
       "p.csv:2: time-sliced profile A100D-80C has MIG columns (max_mig, mig_slices, mig_starts)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.row);
    const auto r = parse(std::string(c.row) + "\n");
    CHECK_FALSE(r.ok());
    CHECK(messages(r) == std::vector<std::string>{std::string(c.error)});
  }
}

TEST_CASE("Catalog CSV: duplicates within one file; line numbers count comments", "[vgpu]") {
  const auto r = parse(
      "# the next row is line 3\n"
      "A40,A40-4Q,Q,4096,12,,,,,,,\n"
      "\n"
      "A40,A40-4Q,Q,4096,12,,,,,,,\n");
  CHECK(messages(r) == std::vector<std::string>{
                           "p.csv:5: duplicate profile \"A40-4Q\" (first on line 3)"});
  const auto boards = parse("", "board,framebuffer_mb\nA40,49152\nA40,49152\n");
  CHECK(messages(boards) ==
        std::vector<std::string>{"b.csv:3: duplicate board \"A40\" (first on line 2)"});
}

TEST_CASE("Catalog CSV: header and board errors", "[vgpu]") {
  CHECK(messages(parse("", "board,framebuffer_mb,colour\nA40,49152,red\n")) ==
        std::vector<std::string>{"b.csv:1: unknown column \"colour\""});
  CHECK(messages(parse("", "# boards\nboard\nA40\n")) ==
        std::vector<std::string>{"b.csv:2: missing column \"framebuffer_mb\""});
  CHECK(messages(parse("", "board,board,framebuffer_mb\nA40,A40,1\n")) ==
        std::vector<std::string>{"b.csv:1: column \"board\" appears twice"});
  CHECK(messages(parse("", "board,framebuffer_mb\nA100-80GB,81920\n")) ==
        std::vector<std::string>{
            "b.csv:2: board \"A100-80GB\" is not a GPU code as in profile names ([A-Z0-9]+)"});
  CHECK(messages(parse("", "board,framebuffer_mb,mixed_size_capable\nA40,49152,yes\n")) ==
        std::vector<std::string>{"b.csv:2: mixed_size_capable board needs mixed_size_slots > 0"});
  CHECK(messages(parse("", "board,framebuffer_mb,mixed_size_capable\nA40,49152,maybe\n")) ==
        std::vector<std::string>{"b.csv:2: mixed_size_capable \"maybe\" is not yes or no"});
  CHECK(messages(parse(
            "", "board,framebuffer_mb,mig_capable,mig_compute_slices\nA30,24576,yes,4\n")) ==
        std::vector<std::string>{
            "b.csv:2: mig_capable board needs mig_compute_slices and mig_memory_slices > 0"});
  CHECK(messages(parse("", "board,framebuffer_mb,idle_watts,busy_watts\nA40,49152,30,2x\n")) ==
        std::vector<std::string>{"b.csv:2: busy_watts \"2x\" is not a non-negative number"});
  CHECK(messages(parse("", "board,framebuffer_mb,idle_watts,busy_watts\nA40,49152,300,30\n")) ==
        std::vector<std::string>{"b.csv:2: idle_watts is more than busy_watts"});
}

TEST_CASE("Catalog CSV: every error of a file, not only the first", "[vgpu]") {
  const auto r = parse("A40,A40-4Q,Q,4096,x,,,,,,,\nL4,L4-1Q,Q,1024,24,,,,,,,\n");
  CHECK(messages(r) == std::vector<std::string>{
                           "p.csv:2: max_equal_size \"x\" is not a whole number",
                           "p.csv:3: unknown board \"L4\" for profile L4-1Q"});
}

TEST_CASE("Catalog CSV: starts lists", "[vgpu]") {
  using V = std::vector<int>;
  CHECK(parse_starts("0") == V{0});
  CHECK(parse_starts("0 4") == V{0, 4});
  CHECK(parse_starts("0-6") == V{0, 1, 2, 3, 4, 5, 6});
  CHECK(parse_starts("0-6/2") == V{0, 2, 4, 6});
  CHECK(parse_starts("0-40/8") == V{0, 8, 16, 24, 32, 40});
  CHECK(parse_starts("0-7/3") == V{0, 3, 6});    // stops at or below 7
  CHECK(parse_starts(" 0 2  5-6 ") == V{0, 2, 5, 6});
  for (const std::string_view bad : {"", " ", "x", "4 0", "0 0", "1-0", "0-4/0", "4/2", "-1",
                                     "0-", "0,4", "0-99999"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_starts(bad));
  }
}

// ---------------------------------------------------------------------------------------------
// Overrides

SCENARIO("An operator file overrides the shipped catalog", "[vgpu]") {
  const Catalog shipped = *default_catalog();
  const std::string header(kProfileHeader);

  GIVEN("a row with a shipped profile's name") {
    // nvidia-smi vgpu -s -v on this driver says 24 A40-1Q in either mode.
    const std::string profiles = header + "A40,A40-1Q,Q,1024,24,24,1,0-47,,,,\n";
    const auto r = catalog_with_overrides({{}, {"site.csv", profiles}});
    THEN("it replaces the shipped row in place and leaves the others alone") {
      REQUIRE(r.ok());
      const Catalog& c = *r.catalog;
      CHECK(c.profiles().size() == shipped.profiles().size());
      CHECK(c.find_profile("A40-1Q") == shipped.find_profile("A40-1Q"));
      CHECK(profile(c, "A40-1Q").max_equal_size == 24);
      CHECK(profile(c, "A40-1Q").max_mixed_size == 24);
      CHECK(profile(c, "A40-2Q").max_equal_size == 24);
      CHECK(profile(c, "A40-4Q").max_equal_size == 12);
    }
  }

  GIVEN("a new board and a profile for it") {
    const auto r = catalog_with_overrides(
        {{"site-boards.csv", "board,framebuffer_mb,mig_capable,mig_compute_slices,"
                             "mig_memory_slices\nH100XM,81920,yes,7,8\n"},
         {"site.csv", header + "H100XM,H100XM-3-40C,C,40960,,,,,3g.40gb,2,4,0 4\n"}});
    THEN("both are added after the shipped ones") {
      REQUIRE(r.ok());
      const Catalog& c = *r.catalog;
      CHECK(c.boards().size() == shipped.boards().size() + 1);
      CHECK(c.profiles().size() == shipped.profiles().size() + 1);
      CHECK(*c.find_board("H100XM") == static_cast<BoardIndex>(shipped.boards().size()));
      CHECK(c.profile(*c.find_profile("H100XM-3-40C")).board == *c.find_board("H100XM"));
    }
  }

  GIVEN("a board row that takes away mixed-size mode from the shipped A40") {
    const auto r = catalog_with_overrides(
        {{"site-boards.csv", "board,framebuffer_mb\nA40,49152\n"}, {}});
    THEN("the shipped A40 profiles with mixed placements are reported at their own lines") {
      REQUIRE_FALSE(r.ok());
      REQUIRE(r.errors.size() == 29);  // the 29 shipped A40 profiles all have a placement
      CHECK(r.errors.front().to_string() ==
            std::string(kDefaultProfilesSource) +
                ":54: mixed-size placement on board A40, which is not mixed-size capable");
    }
  }

  GIVEN("a name twice in the operator file") {
    const std::string profiles =
        header + "A40,A40-1Q,Q,1024,24,24,1,0-47,,,,\nA40,A40-1Q,Q,1024,20,20,1,0-47,,,,\n";
    const auto r = catalog_with_overrides({{}, {"site.csv", profiles}});
    THEN("that is an error, while the same name across files is not") {
      CHECK(messages(r) ==
            std::vector<std::string>{"site.csv:3: duplicate profile \"A40-1Q\" (first on line 2)"});
    }
  }

  GIVEN("an override that breaks a rule") {
    const std::string profiles = header + "A40,A40-1Q,Q,1024,64,,,,,,,\n";
    const auto r = catalog_with_overrides({{}, {"site.csv", profiles}});
    THEN("the operator's file and line are named") {
      CHECK(messages(r) ==
            std::vector<std::string>{
                "site.csv:2: max_equal_size 64 is more than floor(49152 / 1024) = 48"});
    }
  }
}
