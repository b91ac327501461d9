#include "scheduler/sim/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace vgpu::scheduler::sim {
namespace {

// Distinguishable on white and in grey print (Tableau 10).
constexpr const char* kColours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
constexpr int kLeft = 70, kRight = 170, kTop = 40, kBottom = 56;  // margins: legend on the right

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string tick_text(double v, double step) {
  char buf[32];
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 6), std::abs(v) < step * 1e-9 ? 0.0 : v);
  return buf;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  // The candidate whose number of steps over [lo, hi] is closest to the target; ties to the
  // larger step (fewer labels).
  double step = mag;
  double best = std::numeric_limits<double>::infinity();
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    const double s = m * mag;
    const double steps = std::ceil(hi / s - 1e-9) - std::floor(lo / s + 1e-9);
    const double miss = std::abs(steps - target);
    if (miss <= best) best = miss, step = s;
  }
  std::vector<double> out;
  for (double v = std::floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push_back(v);
  if (out.back() < hi) out.push_back(out.back() + step);
  return out;
}

std::string svg_line_plot(const PlotSpec& plot) {
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  double y_lo = x_lo, y_hi = -x_lo;
  for (const PlotSeries& s : plot.series)
    for (const auto& [x, y] : s.points) {
      if (std::isnan(x) || std::isnan(y) || std::isinf(x) || std::isinf(y)) continue;
      x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x);
      y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
    }
  if (!(x_hi >= x_lo)) x_lo = 0, x_hi = 1;
  if (!(y_hi >= y_lo)) y_lo = 0, y_hi = 1;
  if (plot.y_from_zero) y_lo = std::min(0.0, y_lo);
  const std::vector<double> xt = nice_ticks(x_lo, x_hi), yt = nice_ticks(y_lo, y_hi);
  x_lo = xt.front(), x_hi = xt.back(), y_lo = yt.front(), y_hi = yt.back();
  const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1, ys = yt.size() > 1 ? yt[1] - yt[0] : 1;

  const int w = plot.width, h = plot.height;
  const double pw = w - kLeft - kRight, ph = h - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (x - x_lo) / (x_hi - x_lo) * pw; };
  auto py = [&](double y) { return kTop + ph - (y - y_lo) / (y_hi - y_lo) * ph; };

  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h
    << "\" viewBox=\"0 0 " << w << ' ' << h << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<rect x=\"0\" y=\"0\" width=\"" << w << "\" height=\"" << h << "\" fill=\"white\"/>\n"
    << "<text class=\"title\" x=\"" << num(kLeft + pw / 2) << "\" y=\"22\" text-anchor=\"middle\" "
    << "font-size=\"14\">" << escape(plot.title) << "</text>\n";
  // Grid and ticks.
  o << "<g class=\"axes\" stroke=\"#ddd\">\n";
  for (double v : xt)
    o << "<line x1=\"" << num(px(v)) << "\" y1=\"" << kTop << "\" x2=\"" << num(px(v)) << "\" y2=\""
      << num(kTop + ph) << "\"/>\n";
  for (double v : yt)
    o << "<line x1=\"" << kLeft << "\" y1=\"" << num(py(v)) << "\" x2=\"" << num(kLeft + pw)
      << "\" y2=\"" << num(py(v)) << "\"/>\n";
  o << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << num(pw) << "\" height=\""
    << num(ph) << "\" fill=\"none\" stroke=\"#333\"/>\n</g>\n<g class=\"ticks\">\n";
  for (double v : xt)
    o << "<text x=\"" << num(px(v)) << "\" y=\"" << num(kTop + ph + 16)
      << "\" text-anchor=\"middle\">" << tick_text(v, xs) << "</text>\n";
  for (double v : yt)
    o << "<text x=\"" << kLeft - 6 << "\" y=\"" << num(py(v) + 4) << "\" text-anchor=\"end\">"
      << tick_text(v, ys) << "</text>\n";
  o << "</g>\n<text class=\"x-label\" x=\"" << num(kLeft + pw / 2) << "\" y=\"" << h - 14
    << "\" text-anchor=\"middle\">" << escape(plot.x_label) << "</text>\n"
    << "<text class=\"y-label\" x=\"16\" y=\"" << num(kTop + ph / 2)
    << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " << num(kTop + ph / 2) << ")\">"
    << escape(plot.y_label) << "</text>\n";
  // Series and legend.
  constexpr std::size_t kColourCount = sizeof kColours / sizeof kColours[0];
  for (std::size_t i = 0; i < plot.series.size(); ++i) {
    const PlotSeries& s = plot.series[i];
    const char* colour = kColours[i % kColourCount];
    o << "<polyline class=\"series\" fill=\"none\" stroke=\"" << colour
      << "\" stroke-width=\"1.8\" points=\"";
    bool first = true;
    for (const auto& [x, y] : s.points) {
      if (std::isnan(x) || std::isnan(y) || std::isinf(x) || std::isinf(y)) continue;
      o << (first ? "" : " ") << num(px(x)) << ',' << num(py(y));
      first = false;
    }
    o << "\"><title>" << escape(s.name) << "</title></polyline>\n";
    const double ly = kTop + 10 + 20.0 * static_cast<double>(i);
    const double lx = kLeft + pw + 14;
    o << "<line class=\"legend\" x1=\"" << num(lx) << "\" y1=\"" << num(ly) << "\" x2=\""
      << num(lx + 24) << "\" y2=\"" << num(ly) << "\" stroke=\"" << colour
      << "\" stroke-width=\"3\"/>\n<text class=\"legend\" x=\"" << num(lx + 30) << "\" y=\""
      << num(ly + 4) << "\">" << escape(s.name) << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace vgpu::scheduler::sim
