#!/usr/bin/env bash
# Install what is missing, build, and run `vgpu-placement serve` on the embedded SQLite default
# (the database file lives under the data directory; the schema is created on first start).
# Extra arguments go to `serve`, e.g.: scripts/run.sh --listen 0.0.0.0:8778
# Install and build output goes to stderr, so stdout carries only the server's own line
# ("vgpu-placement listening on http://HOST:PORT (store: ...)").
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >&2
scripts/build.sh >&2
exec build/service/vgpu-placement serve --migrate-on-start "$@"
