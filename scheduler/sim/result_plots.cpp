#include "scheduler/sim/result_plots.hpp"

#include <cmath>
#include <algorithm>
#include <functional>
#include <map>

namespace vgpu::scheduler::sim {
namespace {

// Policies in first-seen order, each with its runs.
template <typename Run>
std::vector<std::pair<std::string, std::vector<const Run*>>> by_policy(const std::vector<Run>& runs) {
  std::vector<std::pair<std::string, std::vector<const Run*>>> out;
  for (const Run& r : runs) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == r.policy; });
    if (it == out.end()) it = out.insert(out.end(), {r.policy, {}});
    it->second.push_back(&r);
  }
  return out;
}

// Mean of y per x over the runs (x keys are the grid: identical across seeds).
PlotSeries mean_series(const std::string& name,
                       const std::vector<std::vector<std::pair<double, double>>>& per_run) {
  std::map<double, std::pair<double, int>> sum;
  for (const auto& points : per_run)
    for (const auto& [x, y] : points)
      if (!std::isnan(y)) {
        auto& s = sum[x];
        s.first += y;
        ++s.second;
      }
  PlotSeries out{name, {}};
  for (const auto& [x, s] : sum) out.points.emplace_back(x, s.first / s.second);
  return out;
}

PlotSpec time_plot(const std::vector<TimeRunRecord>& runs, const std::string& title,
                   const std::string& y_label, const std::function<double(const TimeSample&)>& y) {
  PlotSpec plot;
  plot.title = title;
  plot.x_label = "simulated time (hours)";
  plot.y_label = y_label;
  for (const auto& [policy, list] : by_policy(runs)) {
    std::vector<std::vector<std::pair<double, double>>> per_run;
    for (const TimeRunRecord* r : list) {
      per_run.emplace_back();
      for (const TimeSample& s : r->result.samples) per_run.back().emplace_back(s.time / 3600.0, y(s));
    }
    plot.series.push_back(mean_series(policy, per_run));
  }
  return plot;
}

// Protocol (a): one field of the per-percent curve against arrived demand, one line per policy
// (mean over its seeds).
PlotSpec arrival_plot(const std::vector<RunRecord>& runs, std::string title, std::string y_label,
                      double PercentSample::*field) {
  PlotSpec plot;
  plot.title = std::move(title);
  plot.x_label = "arrived GPU demand (% of GPU capacity)";
  plot.y_label = std::move(y_label);
  for (const auto& [policy, list] : by_policy(runs)) {
    std::vector<std::vector<std::pair<double, double>>> per_run;
    for (const RunRecord* r : list) {
      per_run.emplace_back();
      for (const PercentSample& p : r->result.curve) per_run.back().emplace_back(p.arrived_pct, p.*field);
    }
    plot.series.push_back(mean_series(policy, per_run));
  }
  return plot;
}

}  // namespace

PlotSpec allocation_plot(const std::vector<RunRecord>& runs, const std::string& title_note) {
  return arrival_plot(runs, "GPU allocation ratio, protocol (a)" + title_note,
                      "GPU allocation ratio (%)", &PercentSample::allocated_pct);
}

PlotSpec arrival_active_hosts_plot(const std::vector<RunRecord>& runs, const std::string& title_note) {
  return arrival_plot(runs, "Active hosts, protocol (a)" + title_note, "hosts with anything placed",
                      &PercentSample::active_hosts);
}

PlotSpec active_hosts_plot(const std::vector<TimeRunRecord>& runs, const std::string& title_note) {
  return time_plot(runs, "Active hosts, protocol (b)" + title_note, "hosts with anything placed",
                   [](const TimeSample& s) { return static_cast<double>(s.active_hosts); });
}

PlotSpec power_plot(const std::vector<TimeRunRecord>& runs, const std::string& title_note) {
  return time_plot(runs, "Modelled power, protocol (b)" + title_note, "cluster draw (kW)",
                   [](const TimeSample& s) { return s.watts / 1000.0; });
}

}  // namespace vgpu::scheduler::sim
