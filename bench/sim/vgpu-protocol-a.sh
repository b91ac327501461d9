#!/bin/bash
# vGPU mode, protocol (a) (issue 5): every policy on openb_pod_list_default, seeds 42..51, each
# GPU an A40 in equal-size mode (requests rounded up to A40-6Q/12Q/24Q/48Q); then the static
# variant (one fixed profile per GPU, first-fit and best-fit as Nova would) and the MIG variant
# (A100, 1/2/3/4/7 compute slices). Writes bench/results/simulate-vgpu-<date>.md and prints it.
#
# env: BUILD_DIR (default build; must hold service/vgpu-placement), TRACE_DIR (default
#      ../shared/traces/alibaba-gpu-v2023 next to the repo), SEEDS (42-51), JOBS (runs at a time,
#      default 1), POLICIES (the vgpu mode's list), OUT (the .md file), SKIP_VARIANTS=1 (vgpu only).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$repo/build}
trace=${TRACE_DIR:-$repo/../shared/traces/alibaba-gpu-v2023}
seeds=${SEEDS:-42-51}
jobs=${JOBS:-1}
policies=${POLICIES:-first-fit,random,spread,best-fit,gpu-packing,fgd,fgd-vgpu,ours}
static_policies=${STATIC_POLICIES:-first-fit,best-fit}
mig_policies=${MIG_POLICIES:-first-fit,spread,best-fit,gpu-packing,fgd-vgpu,ours}
out=${OUT:-$repo/bench/results/simulate-vgpu-$(date -u +%Y-%m-%d).md}
bin=$build/service/vgpu-placement
[ -x "$bin" ] || { echo "vgpu-protocol-a: no $bin (build first: scripts/build.sh)" >&2; exit 2; }
[ -f "$trace/openb_pod_list_default.csv" ] ||
  { echo "vgpu-protocol-a: the Alibaba trace is not at $trace" >&2; exit 2; }

# One simulate per policy (a policy's runs survive when a later one is stopped); WORK keeps the
# per-run CSVs (default: a temporary directory, removed at the end).
work=${WORK:-}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
run() {  # mode policies
  local mode=$1 pols=$2 p start end
  start=$(date +%s)
  for p in ${pols//,/ }; do
    "$bin" simulate --nodes "$trace/openb_node_list_gpu_node.csv" \
      --pods "$trace/openb_pod_list_default.csv" --mode "$mode" --protocol fgd \
      --policies "$p" --seeds "$seeds" --tune 1.3 --jobs "$jobs" --no-progress \
      --out "$work/$mode/$p" | tee -a "$work/$mode.txt"
  done
  end=$(date +%s)
  echo "$((end - start))" > "$work/$mode.seconds"
}
run vgpu "$policies"
if [ "${SKIP_VARIANTS:-0}" != 1 ]; then
  run vgpu-static "$static_policies"
  run vgpu-mig "$mig_policies"
fi

/usr/bin/python3 "$repo/bench/sim/vgpu_report.py" "$work" "$out" "$jobs" \
  "$(git -C "$repo" rev-parse --short HEAD)" "$seeds" "$policies" "$static_policies" "$mig_policies"
cat "$out"
