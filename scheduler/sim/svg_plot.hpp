#pragma once
// Line plots as SVG text, written directly (no plotting tool needed on the machine): one
// polyline per series, axes with "nice" ticks (1, 2 or 5 x 10^k) and labels, a title and a
// legend. Pure: returns the document; the simulate command writes it to a file.
#include <string>
#include <utility>
#include <vector>

namespace vgpu::scheduler::sim {

struct PlotSeries {
  std::string name;                              // legend text
  std::vector<std::pair<double, double>> points;  // (x, y); NaN points are left out
};

struct PlotSpec {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<PlotSeries> series;
  int width = 760;
  int height = 440;
  bool y_from_zero = true;  // the y axis starts at 0 (else at the data's minimum)
};

// A standalone SVG document (viewBox 0 0 width height). Every coordinate is inside the viewBox.
std::string svg_line_plot(const PlotSpec& plot);

// The tick values covering [lo, hi] with about `target` steps of 1, 2 or 5 x 10^k.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

}  // namespace vgpu::scheduler::sim
