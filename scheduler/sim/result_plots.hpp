#pragma once
// The plots of a simulation's results (svg_plot.hpp), one line per policy, mean over its seeds
// point by point: protocol (a)'s allocation ratio against arrived demand; protocol (b)'s
// active hosts and modelled power against time.
#include <string>
#include <vector>

#include "scheduler/sim/experiment.hpp"
#include "scheduler/sim/svg_plot.hpp"
#include "scheduler/sim/time_experiment.hpp"

namespace vgpu::scheduler::sim {

// GPU allocation ratio (%) against arrived GPU demand (% of capacity). `title_note` ends the
// title (mode, trace).
PlotSpec allocation_plot(const std::vector<RunRecord>& runs, const std::string& title_note);
// Protocol (a): hosts with anything placed against arrived demand, mean over each policy's seeds.
PlotSpec arrival_active_hosts_plot(const std::vector<RunRecord>& runs, const std::string& title_note);

// Active hosts against time (hours of simulated time).
PlotSpec active_hosts_plot(const std::vector<TimeRunRecord>& runs, const std::string& title_note);
// Modelled power (kW) against time (hours).
PlotSpec power_plot(const std::vector<TimeRunRecord>& runs, const std::string& title_note);

}  // namespace vgpu::scheduler::sim
