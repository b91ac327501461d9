#!/usr/bin/env bash
# Install what is missing, build, and run every test with ctest: unit, store (SQLite and a
# throwaway PostgreSQL cluster), server, HTTP integration, the osc-placement peer, conformance.
# The exit code is ctest's. Extra arguments go to ctest, e.g. scripts/test.sh -R http
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

status=0
ctest --test-dir build --output-on-failure "$@" || status=$?
if [ "$status" -eq 0 ]; then
  echo "test.sh: all tests passed"
else
  echo "test.sh: ctest failed (exit $status); see the summary above" >&2
fi
exit "$status"
