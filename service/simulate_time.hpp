#pragma once
// `vgpu-placement simulate --protocol time`: protocol (b) (scheduler/sim/time_protocol.hpp)
// for every policy x seed, its table on stdout, one CSV of time samples per run, a summary CSV
// and the SVG plots into --out. Kept apart from simulate_command.cpp, which parses the common
// options, reads the trace and hands over.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/sim/experiment.hpp"
#include "scheduler/sim/mode.hpp"
#include "scheduler/sim/power_metrics.hpp"
#include "scheduler/sim/time_protocol.hpp"

namespace vgpu::service {

struct TimeCommandOptions {
  scheduler::sim::TimeProtocolOptions protocol;
  scheduler::sim::PowerConfig power;
};

inline constexpr std::string_view kTimeHelp =
    "protocol time (--protocol time): arrivals and departures in trace time order; a request\n"
    "that fits nowhere is rejected; sampled every --sample-every seconds and at the last arrival\n"
    "  --load-factor F    divide arrival times by F, keep lifetimes: ~F x the concurrent load\n"
    "                     (default 1: the trace as recorded, ~1% of the GPUs busy)\n"
    "  --sample-every S   sample grid in seconds of trace time, before / F (default 3600)\n"
    "  --host-idle-watts W  an awake host without its GPUs (default 200)\n"
    "  --standby-watts W  a host with nothing placed, asleep (default 0)\n"
    "  prints per policy: acceptance, mean and peak active hosts, mean active GPUs, energy\n"
    "  (kWh over the arrival window), licence seats at peak; --out gets one CSV per run,\n"
    "  time-summary.csv and the plots time-active-hosts.svg and time-power.svg\n";

// When args[i] is one of the options above: consumes it (and its value, moving i) and returns
// "" or an error message; nullopt when it is not one of them.
std::optional<std::string> parse_time_option(std::span<const std::string_view> args,
                                             std::size_t& i, TimeCommandOptions& options);

// Runs, prints and writes; returns the exit code. `out_dir` empty: no files.
int run_time_command(const scheduler::sim::Mode& mode, const scheduler::sim::ClusterSpec& cluster,
                     const scheduler::sim::Workload& requests,
                     const scheduler::sim::PolicyRegistry& policies,
                     const scheduler::sim::ExperimentOptions& experiment,
                     const TimeCommandOptions& options, const std::filesystem::path& out_dir,
                     bool progress);

// Protocol (a)'s plot (allocation ratio against arrived demand) into `out_dir`.
void write_fgd_plots(const std::filesystem::path& out_dir, std::string_view mode,
                     const std::vector<scheduler::sim::RunRecord>& runs);

}  // namespace vgpu::service
