#!/bin/bash
# vGPU mode, protocol (a) (issue 5): every policy on openb_pod_list_default, seeds 42..51, each
# GPU an A40 in equal-size mode (requests rounded up to A40-6Q/12Q/24Q/48Q); then the static
# variant (one fixed profile per GPU, first-fit and best-fit as Nova would) and the MIG variant
# (A100, 1/2/3/4/7 compute slices). Writes bench/results/simulate-vgpu-<date>.md and prints it.
#
# env: BUILD_DIR (default build; must hold service/vgpu-placement), TRACE_DIR (default
#      ../shared/traces/alibaba-gpu-v2023 next to the repo), SEEDS (42-51; STATIC_SEEDS and
#      MIG_SEEDS for the variants, default the same), POLICIES / STATIC_POLICIES / MIG_POLICIES,
#      OUT (the .md file), WORK (keep the runs there; a rerun skips the runs already done),
#      SKIP_VARIANTS=1 (vgpu only). One run at a time.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$repo/build}
trace=${TRACE_DIR:-$repo/../shared/traces/alibaba-gpu-v2023}
seeds=${SEEDS:-42-51}
policies=${POLICIES:-first-fit,random,spread,best-fit,gpu-packing,fgd,fgd-vgpu,ours}
static_policies=${STATIC_POLICIES:-first-fit,best-fit}
mig_policies=${MIG_POLICIES:-first-fit,spread,best-fit,gpu-packing,fgd-vgpu,ours}
out=${OUT:-$repo/bench/results/simulate-vgpu-$(date -u +%Y-%m-%d).md}
bin=$build/service/vgpu-placement
[ -x "$bin" ] || { echo "vgpu-protocol-a: no $bin (build first: scripts/build.sh)" >&2; exit 2; }
[ -f "$trace/openb_pod_list_default.csv" ] ||
  { echo "vgpu-protocol-a: the Alibaba trace is not at $trace" >&2; exit 2; }

# One simulate per seed and policy, seeds outermost (every policy has its first seeds done
# before any has its last: a run stopped early still compares them); WORK keeps the per-run
# CSVs (default: a temporary directory, removed at the end).
work=${WORK:-}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
expand_seeds() {  # "42-44,50" -> "42 43 44 50"
  /usr/bin/python3 -c '
import sys
out = []
for part in sys.argv[1].split(","):
    lo, _, hi = part.partition("-")
    out += range(int(lo), int(hi or lo) + 1)
print(" ".join(map(str, out)))' "$1"
}
seed_list=$(expand_seeds "$seeds")
run() {  # mode policies
  local mode=$1 pols=$2 p s start end
  start=$(date +%s)
  for s in $seed_list; do
    for p in ${pols//,/ }; do
      [ -f "$work/$mode/$p/seed$s/summary.csv" ] && continue  # done by an earlier, stopped run
      "$bin" simulate --nodes "$trace/openb_node_list_gpu_node.csv" \
        --pods "$trace/openb_pod_list_default.csv" --mode "$mode" --protocol fgd \
        --policies "$p" --seeds "$s" --tune 1.3 --jobs 1 --no-progress \
        --out "$work/$mode/$p/seed$s" | tee -a "$work/$mode.txt"
    done
  done
  end=$(date +%s)
  echo "$((end - start))" > "$work/$mode.seconds"
}
run vgpu "$policies"
if [ "${SKIP_VARIANTS:-0}" != 1 ]; then
  all_seeds=$seed_list
  seed_list=$(expand_seeds "${STATIC_SEEDS:-$seeds}")
  run vgpu-static "$static_policies"
  seed_list=$(expand_seeds "${MIG_SEEDS:-$seeds}")
  run vgpu-mig "$mig_policies"
  seed_list=$all_seeds
fi

/usr/bin/python3 "$repo/bench/sim/vgpu_report.py" "$work" "$out" 1 \
  "$(git -C "$repo" rev-parse --short HEAD)" "$seeds" "$policies" "$static_policies" "$mig_policies"
cat "$out"
