#include "service/simulate_time.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "scheduler/sim/result_plots.hpp"
#include "scheduler/sim/svg_plot.hpp"
#include "scheduler/sim/time_experiment.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "service/commands.hpp"
#include "service/simulate_progress.hpp"

namespace vgpu::service {
namespace {

namespace sim = scheduler::sim;

std::optional<double> number(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string pm(const sim::MeanSd& v, int decimals) {
  if (std::isnan(v.mean)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f ± %.*f", decimals, v.mean, decimals, v.sd);
  return buf;
}

std::string csv(double v, int decimals = 4) {
  if (std::isnan(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

void write_run_csv(const std::filesystem::path& dir, std::string_view mode,
                   const sim::TimeRunRecord& r) {
  const auto path = dir / (std::string(mode) + "-time-" + r.policy + "-seed" +
                           std::to_string(r.seed) + ".csv");
  std::ofstream out(path);
  out << "policy,seed,time_s,arrived,rejected,acceptance_pct,running,active_gpus,active_hosts,"
         "allocated_pct,watts,energy_kwh,seats\n";
  for (const sim::TimeSample& s : r.result.samples)
    out << r.policy << ',' << r.seed << ',' << csv(s.time, 1) << ',' << s.arrived << ','
        << s.rejected << ',' << csv(s.acceptance_pct(), 3) << ',' << s.running << ','
        << s.active_gpus << ',' << s.active_hosts << ',' << csv(s.allocated_pct, 3) << ','
        << csv(s.watts, 1) << ',' << csv(s.energy_kwh, 3) << ',' << s.seats << '\n';
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

std::optional<std::string> parse_time_option(std::span<const std::string_view> args,
                                             std::size_t& i, TimeCommandOptions& o) {
  const std::string_view a = args[i];
  double* into = nullptr;
  double min = 0;
  if (a == "--load-factor") {
    into = &o.protocol.load_factor;
    min = 1e-9;
  } else if (a == "--sample-every") {
    into = &o.protocol.sample_every;
    min = 1e-9;
  } else if (a == "--host-idle-watts") {
    into = &o.power.host_idle_watts;
  } else if (a == "--standby-watts") {
    into = &o.power.standby_watts;
  } else {
    return std::nullopt;
  }
  if (i + 1 >= args.size()) return std::string(a) + " needs a number";
  const std::string text(args[++i]);
  const auto v = number(text);
  if (!v || *v < min) return std::string(a) + ": '" + text + "' is not a number >= " + (min > 0 ? "0 (exclusive)" : "0");
  *into = *v;
  return std::string();
}

int run_time_command(const sim::Mode& mode, const sim::ClusterSpec& cluster,
                     const sim::Workload& requests, const sim::PolicyRegistry& policies,
                     const sim::ExperimentOptions& experiment, const TimeCommandOptions& options,
                     const std::filesystem::path& out_dir, bool progress) {
  const auto catalog = scheduler::vgpu::default_catalog();
  if (!catalog) {
    std::fputs("vgpu-placement simulate: the shipped vGPU catalog does not parse\n", stderr);
    return kExitFailure;
  }
  std::vector<sim::TimeRunRecord> runs;
  const auto start = std::chrono::steady_clock::now();
  try {
    ProgressBar bar(progress, experiment.policies.size() * experiment.seeds.size());
    runs = sim::run_time_experiment(
        mode, cluster, requests, policies, experiment, options.protocol, *catalog, options.power,
        [&bar](const std::string& p, std::uint64_t s, std::size_t d, std::size_t t) {
          bar.update(p, s, d, t);
        });
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "vgpu-placement simulate: %s\n", e.what());
    return kExitUsage;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::vector<sim::TimePolicySummary> summary = sim::summarise_time(runs);
  const double horizon = runs.empty() ? 0 : runs.front().result.horizon;

  std::string seeds;
  for (auto v : experiment.seeds) seeds += (seeds.empty() ? "" : ",") + std::to_string(v);
  std::printf("simulate: mode %s, protocol time (load factor %g, %.1f h simulated, host idle %g W, "
              "standby %g W), %zu hosts, %d GPUs, %zu requests, seeds %s\n",
              mode.name().data(), options.protocol.load_factor, horizon / 3600.0,
              options.power.host_idle_watts, options.power.standby_watts, cluster.hosts.size(),
              cluster.gpu_count(), requests.requests.size(), seeds.c_str());
  std::printf("%-12s %5s %18s %20s %18s %20s %22s %16s %8s\n", "policy", "seeds", "acceptance (%)",
              "mean active hosts", "peak act. hosts", "mean active GPUs", "energy (kWh)",
              "seats at peak", "s/run");
  for (const sim::TimePolicySummary& s : summary)
    std::printf("%-12s %5zu %18s %20s %18s %20s %22s %16s %8.2f\n", s.policy.c_str(), s.runs,
                pm(s.acceptance_pct, 2).c_str(), pm(s.mean_active_hosts, 1).c_str(),
                pm(s.peak_active_hosts, 1).c_str(), pm(s.mean_active_gpus, 1).c_str(),
                pm(s.energy_kwh, 1).c_str(), pm(s.peak_seats, 0).c_str(), s.seconds_per_run);
  std::printf("(mean ± standard deviation across seeds; hosts awake = anything placed; energy "
              "integrated over the arrival window; %.1f s in all)\n",
              wall);

  if (out_dir.empty()) return kExitOk;
  try {
    for (const sim::TimeRunRecord& r : runs) write_run_csv(out_dir, mode.name(), r);
    std::ofstream out(out_dir / "time-summary.csv");
    out << "mode,policy,runs,load_factor,horizon_s,acceptance_pct_mean,acceptance_pct_sd,"
           "mean_active_hosts_mean,mean_active_hosts_sd,peak_active_hosts_mean,"
           "peak_active_hosts_sd,mean_active_gpus_mean,mean_active_gpus_sd,energy_kwh_mean,"
           "energy_kwh_sd,peak_seats_mean,peak_seats_sd,seconds_per_run\n";
    for (const sim::TimePolicySummary& s : summary)
      out << mode.name() << ',' << s.policy << ',' << s.runs << ','
          << csv(options.protocol.load_factor) << ',' << csv(horizon, 1) << ','
          << csv(s.acceptance_pct.mean) << ',' << csv(s.acceptance_pct.sd) << ','
          << csv(s.mean_active_hosts.mean) << ',' << csv(s.mean_active_hosts.sd) << ','
          << csv(s.peak_active_hosts.mean) << ',' << csv(s.peak_active_hosts.sd) << ','
          << csv(s.mean_active_gpus.mean) << ',' << csv(s.mean_active_gpus.sd) << ','
          << csv(s.energy_kwh.mean) << ',' << csv(s.energy_kwh.sd) << ','
          << csv(s.peak_seats.mean) << ',' << csv(s.peak_seats.sd) << ','
          << csv(s.seconds_per_run) << '\n';
    if (!out) throw std::runtime_error((out_dir / "time-summary.csv").string() + ": cannot write");
    char note[96];
    std::snprintf(note, sizeof note, " (%s mode, load factor %g)", mode.name().data(),
                  options.protocol.load_factor);
    write_text(out_dir / "time-active-hosts.svg", sim::svg_line_plot(sim::active_hosts_plot(runs, note)));
    write_text(out_dir / "time-power.svg", sim::svg_line_plot(sim::power_plot(runs, note)));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vgpu-placement simulate: %s\n", e.what());
    return kExitFailure;
  }
  return kExitOk;
}

void write_fgd_plots(const std::filesystem::path& out_dir, std::string_view mode,
                     const std::vector<sim::RunRecord>& runs) {
  const std::string note = " (" + std::string(mode) + " mode)";
  write_text(out_dir / "allocation.svg", sim::svg_line_plot(sim::allocation_plot(runs, note)));
  write_text(out_dir / "active-hosts.svg",
             sim::svg_line_plot(sim::arrival_active_hosts_plot(runs, note)));
}

}  // namespace vgpu::service
