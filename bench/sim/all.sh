#!/bin/bash
# Issue 5's evidence in one command: the simulator's fractional-GPU validation against the FGD
# paper, the vGPU mode (every policy, plus the static and MIG variants) under protocol (a), and
# the time-driven protocol in vGPU mode (load factors 100 and 1). Each part writes its report
# into bench/results/ (simulate-fractional-, simulate-vgpu-, simulate-time-vgpu-<date>.md) and
# its plots into bench/results/plots/; bench/results/README.md is the index to update by hand.
# About 15 minutes on 2 cores (the random policy is most of it).
#
# env: BUILD_DIR (default build), TRACE_DIR, SEEDS (42-51), JOBS (2), RESULTS (a directory for
#      the three .md files instead of bench/results; plots still go to bench/results/plots).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$repo/build}
export BUILD_DIR=$build
export SEEDS=${SEEDS:-42-51}
jobs=${JOBS:-2}
day=$(date -u +%Y-%m-%d)
results=${RESULTS:-$repo/bench/results}
mkdir -p "$results"
[ -x "$build/service/vgpu-placement" ] ||
  { echo "bench/sim/all.sh: no $build/service/vgpu-placement (build first: scripts/build.sh)" >&2; exit 2; }

echo "== fractional mode, protocol (a): validation against the FGD paper" >&2
JOBS=$jobs OUT="$results/simulate-fractional-$day.md" "$repo/bench/sim/validate-fractional.sh"
echo "== vGPU mode, protocol (a): every policy, static and MIG variants" >&2
OUT="$results/simulate-vgpu-$day.md" "$repo/bench/sim/vgpu-protocol-a.sh"
echo "== vGPU mode, time-driven protocol (b)" >&2
MODE=vgpu POLICIES=ours,spread,first-fit,gpu-packing,best-fit SEEDS=42 LOAD_FACTORS="100 1" \
  JOBS=$jobs OUT="$results/simulate-time-vgpu-$day.md" "$repo/bench/sim/time_run.sh"
echo "bench/sim/all.sh: reports in $results" >&2
