#!/usr/bin/env bash
# Configure and build vgpu-placement and its tests into ./build (RelWithDebInfo, 2 jobs).
#   BUILD_DIR   build directory (default: build)
#   BUILD_TYPE  CMake build type (default: RelWithDebInfo)
#   JOBS        parallel compile jobs (default: 2)
# Extra arguments go to the CMake configure step, e.g. scripts/build.sh -DBUILD_TESTING=OFF
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
JOBS=${JOBS:-2}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@"
cmake --build "$BUILD_DIR" --parallel "$JOBS"
