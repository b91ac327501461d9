// `vgpu-placement simulate`: replays a request trace through the scheduler library in process
// (scheduler/sim: no HTTP, no database) and reports placement quality per policy. This file
// only deals with the command line, files and printing; the simulation is scheduler/sim's.
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "scheduler/sim/alibaba_trace.hpp"
#include "scheduler/sim/experiment.hpp"
#include "scheduler/sim/modes.hpp"
#include "scheduler/sim/native_trace.hpp"
#include "service/commands.hpp"
#include "service/simulate_progress.hpp"
#include "service/simulate_time.hpp"

namespace vgpu::service {
namespace {

namespace sim = scheduler::sim;

constexpr std::string_view kTraceDir = "../shared/traces/alibaba-gpu-v2023/";

constexpr std::string_view kHelp =
    "usage: vgpu-placement simulate [options]\n"
    "\n"
    "Replay a request trace through the scheduler (the same filters, scores and candidate\n"
    "search as the service, in process) and compare placement policies.\n"
    "\n"
    "options:\n"
    "  --nodes FILE       cluster (default ../shared/traces/alibaba-gpu-v2023/\n"
    "                     openb_node_list_gpu_node.csv)\n"
    "  --pods FILE        requests (default ../shared/traces/alibaba-gpu-v2023/\n"
    "                     openb_pod_list_default.csv)\n"
    "  --format F         alibaba (the trace v2023 columns, default) or native (our CSV;\n"
    "                     see scheduler/sim/README.md)\n"
    "  --mode M           fractional (default): each GPU has 1000 units of GPU share;\n"
    "                     vgpu: each GPU a managed pGPU in equal-size mode, requests rounded\n"
    "                     up to 1/8, 1/4, 1/2 or a whole GPU (A40-6Q/12Q/24Q/48Q); vgpu-static:\n"
    "                     the same with one fixed profile per GPU (split from the demand);\n"
    "                     vgpu-mig: A100 in MIG mode, 1/2/3/4/7 compute slices\n"
    "  --board B          the vGPU modes' board for every GPU (default A40, A100 for MIG)\n"
    "  --policies LIST    comma-separated (default random,best-fit,fgd)\n"
    "  --protocol P       fgd (default): resample to --tune x GPU capacity, shuffle per seed,\n"
    "                     place one at a time, nothing departs; time: trace time order with\n"
    "                     departures, power and energy (options below)\n"
    "  --seeds LIST       seeds and ranges, e.g. 42-51 or 42,45 (default 42-51)\n"
    "  --tune R           resampling target as a multiple of GPU capacity (default 1.3)\n"
    "  --jobs N           runs at a time on N threads (default 1)\n"
    "  --out DIR          write one CSV per run (policy, seed, one row per 1% of arrived\n"
    "                     demand), summary.csv, allocation.svg and active-hosts.svg\n"
    "                     (protocol fgd) into DIR (created if missing)\n"
    "  --list-policies    print the policies and exit\n"
    "  --no-progress      no progress bar (it is shown on a terminal for long runs)\n"
    "  --help             this text\n"
    "\n"
    "Prints one row per policy: unallocated GPUs at 100% arrival (100 - allocation ratio),\n"
    "allocation at the end (saturation), FGD fragmentation at 100%, failed pods, each as the\n"
    "mean +- standard deviation across seeds, and the seconds per run.\n"
    "Exit code: 0 done, 2 bad option or input file.\n";

struct Options {
  std::string nodes = std::string(kTraceDir) + "openb_node_list_gpu_node.csv";
  std::string pods = std::string(kTraceDir) + "openb_pod_list_default.csv";
  std::string format = "alibaba";
  std::string mode = "fractional";
  std::string board;  // vGPU modes
  std::string protocol = "fgd";
  std::string out;
  bool progress = true;
  bool list_policies = false;
  sim::ExperimentOptions experiment;
  TimeCommandOptions time;  // --protocol time (simulate_time.hpp)
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "vgpu-placement simulate: %s\n(see vgpu-placement simulate --help)\n",
               message.c_str());
  return kExitUsage;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in{std::string(s)};
  while (std::getline(in, cur, sep))
    if (!cur.empty()) out.push_back(cur);
  return out;
}

// "42-51" / "42,45,50-51"
std::optional<std::vector<std::uint64_t>> parse_seeds(std::string_view text) {
  std::vector<std::uint64_t> out;
  for (const std::string& part : split(text, ',')) {
    const auto dash = part.find('-');
    try {
      std::size_t used = 0;
      if (dash == std::string::npos) {
        out.push_back(std::stoull(part, &used));
        if (used != part.size()) return std::nullopt;
      } else {
        std::size_t u1 = 0, u2 = 0;
        const std::string a = part.substr(0, dash), b = part.substr(dash + 1);
        const std::uint64_t lo = std::stoull(a, &u1), hi = std::stoull(b, &u2);
        if (u1 != a.size() || u2 != b.size() || hi < lo || hi - lo > 100000) return std::nullopt;
        for (std::uint64_t s = lo; s <= hi; ++s) out.push_back(s);
      }
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// Returns an exit code when the command must end now.
std::optional<int> parse(std::span<const std::string_view> args, Options& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&](std::string& into) -> bool {
      if (i + 1 >= args.size()) return false;
      into = std::string(args[++i]);
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::fputs(kHelp.data(), stdout);
      std::fputs(("\n" + std::string(kTimeHelp)).c_str(), stdout);
      return kExitOk;
    } else if (a == "--no-progress") {
      o.progress = false;
    } else if (a == "--list-policies") {
      o.list_policies = true;
    } else if (a == "--nodes") {
      if (!value(o.nodes)) return usage_error("--nodes needs a file");
    } else if (a == "--pods") {
      if (!value(o.pods)) return usage_error("--pods needs a file");
    } else if (a == "--format") {
      if (!value(o.format) || (o.format != "alibaba" && o.format != "native"))
        return usage_error("--format must be alibaba or native");
    } else if (a == "--mode") {
      if (!value(o.mode)) return usage_error("--mode needs a name");
    } else if (a == "--board") {
      if (!value(o.board)) return usage_error("--board needs a board code (e.g. A40)");
    } else if (a == "--protocol") {
      if (!value(o.protocol) || (o.protocol != "fgd" && o.protocol != "time"))
        return usage_error("--protocol must be fgd (protocol (a)) or time (protocol (b))");
    } else if (a == "--policies") {
      if (!value(v) || split(v, ',').empty()) return usage_error("--policies needs a list");
      o.experiment.policies = split(v, ',');
    } else if (a == "--seeds") {
      if (!value(v)) return usage_error("--seeds needs a list");
      auto seeds = parse_seeds(v);
      if (!seeds) return usage_error("--seeds: '" + v + "' is not a list of seeds (e.g. 42-51)");
      o.experiment.seeds = *seeds;
    } else if (a == "--tune") {
      if (!value(v)) return usage_error("--tune needs a number");
      char* end = nullptr;
      const double t = std::strtod(v.c_str(), &end);
      if (end != v.c_str() + v.size() || !(t > 0) || t > 10)
        return usage_error("--tune: '" + v + "' is not a ratio in (0, 10]");
      o.experiment.tune = t;
    } else if (a == "--jobs") {
      if (!value(v)) return usage_error("--jobs needs a number");
      char* end = nullptr;
      const long j = std::strtol(v.c_str(), &end, 10);
      if (end != v.c_str() + v.size() || j < 1 || j > 256)
        return usage_error("--jobs: '" + v + "' is not 1..256");
      o.experiment.jobs = static_cast<unsigned>(j);
    } else if (a == "--out") {
      if (!value(o.out)) return usage_error("--out needs a directory");
    } else if (auto time_error = parse_time_option(args, i, o.time)) {
      if (!time_error->empty()) return usage_error(*time_error);
    } else {
      return usage_error("unknown option '" + std::string(a) + "'");
    }
  }
  return std::nullopt;
}

template <typename Read>
auto read_file(const std::string& path, Read read) {
  std::ifstream in(path);
  if (!in) throw sim::TraceError(path + ": cannot open (" + std::strerror(errno) + ")");
  return read(in, path);
}

std::string pm(const sim::MeanSd& v) {
  char buf[64];
  if (std::isnan(v.mean)) return "-";
  std::snprintf(buf, sizeof buf, "%.2f ± %.2f", v.mean, v.sd);
  return buf;
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

void write_run_csv(const std::filesystem::path& dir, const std::string& mode,
                   const sim::RunRecord& r) {
  const auto path = dir / (mode + "-" + r.policy + "-seed" + std::to_string(r.seed) + ".csv");
  std::ofstream out(path);
  out << "policy,seed,arrived_pct,allocated_pct,frag_pct,frag_rate_pct,failed,active_hosts\n";
  for (const sim::PercentSample& p : r.result.curve)
    out << r.policy << ',' << r.seed << ',' << p.arrived_pct << ',' << csv_number(p.allocated_pct)
        << ',' << csv_number(p.frag_pct) << ',' << csv_number(p.frag_rate_pct) << ','
        << csv_number(p.failed) << ',' << csv_number(p.active_hosts) << '\n';
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

int simulate_command(std::span<const std::string_view> args) {
  Options o;
  if (auto done = parse(args, o)) return *done;
  const sim::PolicyRegistry policies = sim::builtin_policies();
  if (o.list_policies) {
    for (const std::string& n : policies.names())
      std::printf("%-12s %s\n", n.c_str(), policies.description(n).c_str());
    return kExitOk;
  }
  for (const std::string& p : o.experiment.policies)
    if (!policies.has(p)) {
      std::string known;
      for (const auto& n : policies.names()) known += (known.empty() ? "" : ", ") + n;
      return usage_error("unknown policy '" + p + "' (known: " + known + ")");
    }
  std::unique_ptr<sim::Mode> mode;
  try {
    mode = sim::make_mode(o.mode, o.board);
  } catch (const std::invalid_argument& e) {
    return usage_error("--board: " + std::string(e.what()));
  }
  if (!mode) {
    std::string known;
    for (const auto& n : sim::mode_names()) known += (known.empty() ? "" : ", ") + n;
    return usage_error("unknown mode '" + o.mode + "' (known: " + known + ")");
  }

  sim::ClusterSpec cluster;
  sim::Workload pods;
  try {
    const bool alibaba = o.format == "alibaba";
    cluster = read_file(o.nodes, alibaba ? sim::read_alibaba_nodes : sim::read_native_hosts);
    pods = read_file(o.pods, alibaba ? sim::read_alibaba_pods : sim::read_native_requests);
    pods = mode->prepare(pods);  // vGPU modes: shares rounded up to profiles (mode.hpp)
  } catch (const sim::TraceError& e) {
    return usage_error(e.what());
  }
  if (cluster.gpu_count() == 0) return usage_error(o.nodes + ": the cluster has no GPU");
  if (pods.requests.empty()) return usage_error(o.pods + ": no requests");
  std::filesystem::path out_dir;
  if (!o.out.empty()) {
    std::error_code ec;
    out_dir = o.out;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) return usage_error("--out " + o.out + ": " + ec.message());
  }

  if (o.protocol == "time")
    return run_time_command(*mode, cluster, pods, policies, o.experiment, o.time, out_dir,
                            o.progress);

  std::vector<sim::RunRecord> runs;
  const auto start = std::chrono::steady_clock::now();
  try {
    ProgressBar bar(o.progress, o.experiment.policies.size() * o.experiment.seeds.size());
    runs = sim::run_fgd_experiment(
        *mode, cluster, pods, policies, o.experiment,
        [&bar](const std::string& p, std::uint64_t s, std::size_t d, std::size_t t) {
          bar.update(p, s, d, t);
        });
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::vector<sim::PolicySummary> summary = sim::summarise(runs, o.experiment.tune);
  const int end_pct = static_cast<int>(std::ceil(o.experiment.tune * 100.0 - 1e-9));

  std::printf("simulate: mode %s, protocol fgd (tune %.2f), %zu hosts, %d GPUs, %zu pods in "
              "the list, seeds %s\n",
              mode->name().data(), o.experiment.tune, cluster.hosts.size(), cluster.gpu_count(),
              pods.requests.size(),
              [&] {
                std::string s;
                for (auto v : o.experiment.seeds) s += (s.empty() ? "" : ",") + std::to_string(v);
                return s;
              }()
                  .c_str());
  std::printf("%-10s %5s %22s %22s %22s %16s %9s\n", "policy", "seeds", "unallocated@100 (%)",
              ("allocated@" + std::to_string(end_pct) + " (%)").c_str(), "frag@100 (%)",
              "failed pods", "s/run");
  for (const sim::PolicySummary& s : summary)
    std::printf("%-10s %5zu %22s %22s %22s %16s %9.2f\n", s.policy.c_str(), s.runs,
                pm(s.unallocated_at_100).c_str(), pm(s.allocated_at_end).c_str(),
                pm(s.frag_at_100).c_str(), pm(s.failed).c_str(), s.seconds_per_run);
  std::printf("(mean ± standard deviation across seeds; %.1f s in all)\n", wall);

  if (!out_dir.empty()) {
    try {
      for (const sim::RunRecord& r : runs) write_run_csv(out_dir, std::string(mode->name()), r);
      std::ofstream out(out_dir / "summary.csv");
      out << "mode,policy,runs,unallocated_at_100_mean,unallocated_at_100_sd,allocated_at_end_mean,"
             "allocated_at_end_sd,frag_at_100_mean,frag_at_100_sd,failed_mean,failed_sd,"
             "seconds_per_run\n";
      for (const sim::PolicySummary& s : summary)
        out << mode->name() << ',' << s.policy << ',' << s.runs << ','
            << csv_number(s.unallocated_at_100.mean) << ',' << csv_number(s.unallocated_at_100.sd)
            << ',' << csv_number(s.allocated_at_end.mean) << ','
            << csv_number(s.allocated_at_end.sd) << ',' << csv_number(s.frag_at_100.mean) << ','
            << csv_number(s.frag_at_100.sd) << ',' << csv_number(s.failed.mean) << ','
            << csv_number(s.failed.sd) << ',' << csv_number(s.seconds_per_run) << '\n';
      if (!out) throw std::runtime_error((out_dir / "summary.csv").string() + ": cannot write");
      write_fgd_plots(out_dir, mode->name(), runs);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "vgpu-placement simulate: %s\n", e.what());
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace vgpu::service
