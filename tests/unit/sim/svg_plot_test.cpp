// The SVG line plot: one polyline per series, labels and legend present, every coordinate
// inside the viewBox, on a tiny data set.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "scheduler/sim/svg_plot.hpp"

using namespace ::vgpu::scheduler::sim;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("nice ticks are 1, 2 or 5 x 10^k and cover the range", "[scheduler][sim][svg]") {
  CHECK(nice_ticks(0, 130, 6) == std::vector<double>{0, 20, 40, 60, 80, 100, 120, 140});
  const auto fifths = nice_ticks(0, 1, 5);
  REQUIRE(fifths.size() == 6);
  for (std::size_t i = 0; i < fifths.size(); ++i) CHECK(fifths[i] == Approx(0.2 * i).margin(1e-12));
  const auto t = nice_ticks(3, 7, 4);
  CHECK(t.front() <= 3);
  CHECK(t.back() >= 7);
}

SCENARIO("a plot of two series", "[scheduler][sim][svg]") {
  PlotSpec plot;
  plot.title = "Allocation <ratio> & demand";
  plot.x_label = "arrived GPU demand (%)";
  plot.y_label = "GPU allocation ratio (%)";
  plot.series = {{"best-fit", {{0, 0}, {50, 49}, {100, 92}}},
                 {"fgd", {{0, 0}, {50, 50}, {std::nan(""), 3}, {100, 95}}}};
  const std::string svg = svg_line_plot(plot);
  THEN("it is one svg document with one polyline per series") {
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK(count(svg, "<svg ") == 1);
    CHECK(count(svg, "</svg>") == 1);
    CHECK(count(svg, "<polyline") == 2);
    CHECK(count(svg, "</polyline>") == 2);
  }
  THEN("the title (escaped), axis labels and legend entries are there") {
    CHECK(svg.find("Allocation &lt;ratio&gt; &amp; demand") != std::string::npos);
    CHECK(svg.find(">arrived GPU demand (%)</text>") != std::string::npos);
    CHECK(svg.find(">GPU allocation ratio (%)</text>") != std::string::npos);
    CHECK(svg.find("class=\"legend\" x=") != std::string::npos);
    CHECK(svg.find(">best-fit</text>") != std::string::npos);
    CHECK(svg.find(">fgd</text>") != std::string::npos);
    CHECK(svg.find(">100</text>") != std::string::npos);  // an x tick
  }
  THEN("every polyline point is inside the viewBox; the NaN point is left out") {
    const std::regex points("points=\"([^\"]*)\"");
    const std::regex pair("(-?[0-9.]+),(-?[0-9.]+)");
    std::size_t series = 0, total = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), points); it != std::sregex_iterator(); ++it) {
      ++series;
      const std::string list = (*it)[1];
      for (auto p = std::sregex_iterator(list.begin(), list.end(), pair); p != std::sregex_iterator(); ++p) {
        ++total;
        const double x = std::stod((*p)[1]), y = std::stod((*p)[2]);
        CHECK(x >= 0);
        CHECK(x <= plot.width);
        CHECK(y >= 0);
        CHECK(y <= plot.height);
      }
    }
    CHECK(series == 2);
    CHECK(total == 6);
  }
  THEN("a higher y is drawn higher (smaller SVG y)") {
    const std::string one = svg_line_plot({"", "", "", {{"s", {{0, 0}, {1, 10}}}}});
    std::smatch m;
    REQUIRE(std::regex_search(one, m, std::regex("points=\"([0-9.]+),([0-9.]+) ([0-9.]+),([0-9.]+)\"")));
    CHECK(std::stod(m[4]) < std::stod(m[2]));
    CHECK(std::stod(m[3]) > std::stod(m[1]));
  }
}
