#!/bin/bash
# Protocol (b), time-driven (issue 5): every policy on the Alibaba v2023 default pod list in
# trace time order, with departures, at one or more load factors; acceptance, hosts awake and
# modelled energy per policy (mean ± sd across seeds), and the relative figures against spread
# when spread is among the policies. Writes bench/results/simulate-time-<mode>-<date>.md, the
# run's CSVs into a temporary folder and the plots into bench/results/plots/.
#
# env: BUILD_DIR (default build; must hold service/vgpu-placement), TRACE_DIR (default
#      ../shared/traces/alibaba-gpu-v2023 next to the repo), MODE (fractional), POLICIES
#      (random,best-fit,fgd), SEEDS (42-51), LOAD_FACTORS (space-separated, default "1 100"),
#      JOBS (runs at a time, default 1), OUT (the .md file).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$repo/build}
trace=${TRACE_DIR:-$repo/../shared/traces/alibaba-gpu-v2023}
mode=${MODE:-fractional}
policies=${POLICIES:-random,best-fit,fgd}
seeds=${SEEDS:-42-51}
factors=${LOAD_FACTORS:-1 100}
jobs=${JOBS:-1}
out=${OUT:-$repo/bench/results/simulate-time-$mode-$(date -u +%Y-%m-%d).md}
plots=$repo/bench/results/plots
bin=$build/service/vgpu-placement
[ -x "$bin" ] || { echo "time_run: no $bin (build first)" >&2; exit 2; }
[ -f "$trace/openb_pod_list_default.csv" ] || { echo "time_run: the Alibaba trace is not at $trace" >&2; exit 2; }
mkdir -p "$plots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rev=$(git -C "$repo" rev-parse --short HEAD)

for f in $factors; do
  cmd=("$bin" simulate --no-progress --nodes "$trace/openb_node_list_gpu_node.csv"
       --pods "$trace/openb_pod_list_default.csv" --mode "$mode" --protocol time
       --load-factor "$f" --policies "$policies" --seeds "$seeds" --jobs "$jobs"
       --out "$work/lf$f")
  start=$(date +%s)
  "${cmd[@]}" | tee "$work/table-lf$f.txt"
  echo "$(( $(date +%s) - start ))" > "$work/seconds-lf$f"
  printf '%q ' "${cmd[@]}" | sed "s#$bin#vgpu-placement#; s#$trace/#../shared/traces/alibaba-gpu-v2023/#g; s#$work/#/tmp/#; s#\\\\,#,#g" > "$work/cmd-lf$f"
  cp "$work/lf$f/time-active-hosts.svg" "$plots/time-$mode-lf$f-active-hosts.svg"
  cp "$work/lf$f/time-power.svg" "$plots/time-$mode-lf$f-power.svg"
done

/usr/bin/python3 - "$work" "$out" "$mode" "$rev" "$seeds" "$factors" <<'PY'
import csv, sys
work, out, mode, rev, seeds, factors = sys.argv[1:]
lines = [f"# Protocol (b), time-driven: {mode} mode, Alibaba v2023 default pod list",
         "",
         f"Commit {rev}; seeds {seeds} (the replay is deterministic: a seed changes only a policy's",
         "own draws, so deterministic policies show sd 0). Energy over the arrival window; hosts",
         "awake = anything placed; power model in scheduler/sim/README.md (host idle 200 W, asleep",
         "0 W, trace GPUs mapped to catalog boards for power).", ""]
for f in factors.split():
    rows = list(csv.DictReader(open(f"{work}/lf{f}/time-summary.csv")))
    cmd = open(f"{work}/cmd-lf{f}").read().strip()
    secs = open(f"{work}/seconds-lf{f}").read().strip()
    horizon = float(rows[0]["horizon_s"]) / 3600 if rows else 0
    lines += [f"## Load factor {f} ({horizon:.1f} h simulated)", "", "```", cmd, "```",
              f"({secs} s wall)", "",
              "| policy | runs | acceptance % | mean hosts awake | peak hosts awake | mean GPUs active | energy kWh | seats at peak |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    def pm(r, k, d=2):
        return f"{float(r[k+'_mean']):.{d}f} ± {float(r[k+'_sd']):.{d}f}"
    for r in rows:
        lines.append(f"| {r['policy']} | {r['runs']} | {pm(r,'acceptance_pct')} | {pm(r,'mean_active_hosts',1)} | "
                     f"{pm(r,'peak_active_hosts',1)} | {pm(r,'mean_active_gpus',1)} | {pm(r,'energy_kwh',1)} | {pm(r,'peak_seats',0)} |")
    spread = next((r for r in rows if r["policy"] == "spread"), None)
    if spread:
        lines += ["", "Against spread (negative = fewer / less):", "",
                  "| policy | acceptance pp | mean hosts awake | energy |", "|---|---:|---:|---:|"]
        for r in rows:
            if r is spread: continue
            dh = 100 * (float(r["mean_active_hosts_mean"]) / float(spread["mean_active_hosts_mean"]) - 1)
            de = 100 * (float(r["energy_kwh_mean"]) / float(spread["energy_kwh_mean"]) - 1)
            da = float(r["acceptance_pct_mean"]) - float(spread["acceptance_pct_mean"])
            lines.append(f"| {r['policy']} | {da:+.2f} | {dh:+.1f}% | {de:+.1f}% |")
    lines += ["", f"Plots: [active hosts](plots/time-{mode}-lf{f}-active-hosts.svg), "
              f"[power](plots/time-{mode}-lf{f}-power.svg)", ""]
open(out, "w").write("\n".join(lines) + "\n")
print(open(out).read())
PY
