#!/usr/bin/env bash
# Install, from Debian 12 packages only, everything the build, the service and all tests need.
# Idempotent: when every package is already installed it changes nothing and needs no network.
# Run as root (or via sudo) on Debian 12 "bookworm".
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake g++
  libboost1.81-dev        # Beast, Asio
  nlohmann-json3-dev
  libpq-dev               # PostgreSQL client library
  libsqlite3-dev
  prometheus-cpp-dev
  catch2                  # v2.13, unit tests
  # tests
  postgresql-15           # server binaries for the throwaway test cluster (tests/support/pg_cluster.sh)
  postgresql-client-15    # psql, used by the HTTP tests to create one database per module
  python3                 # /usr/bin/python3 runs every Python test
  python3-pytest          # HTTP integration tests (tests/http)
  python3-yaml            # tests/http parses api/vgpu-openapi.yaml
  curl                    # tests/http runs README.md's vGPU example (curl commands)
  python3-openstackclient # /usr/bin/openstack
  python3-osc-placement   # `openstack resource provider ...`, the peer test
  python3-gabbi           # upstream Placement's conformance suite runner
  python3-os-traits       # standard traits (generated name lists are compared with them)
  python3-os-resource-classes
  python3-placement       # upstream Placement: its gabbi fixtures, conformance work
  python3-nova            # Nova's placement client, for the Nova tests
)

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -- "$0" "$@"
  fi
  echo "install-deps.sh: run as root (apt-get install needs it)" >&2
  exit 1
fi

if [ -r /etc/os-release ]; then
  . /etc/os-release
  if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
    echo "install-deps.sh: warning: written for Debian 12, this is ${PRETTY_NAME:-unknown}" >&2
  fi
fi

installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# Installing postgresql-15 creates a system cluster (15/main) and would start it, and other
# packages may ship services too. Tests run their own throwaway cluster on a free port, so keep
# package services from starting during this install: a temporary policy-rc.d (the Debian
# mechanism for exactly this), unless the administrator already has one.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# installed temporarily by vgpu-placement scripts/install-deps.sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=1
fi
cleanup() {
  if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
}
trap cleanup EXIT

apt-get update
apt-get install -y \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"

# If the system cluster got started anyway (e.g. systemd ignored policy-rc.d), stop it only when
# this run installed the server: an administrator's running cluster is left alone.
if printf '%s\n' "${missing[@]}" | grep -qx postgresql-15 && command -v pg_lsclusters >/dev/null 2>&1; then
  if pg_lsclusters --no-header 2>/dev/null | awk '$1 == 15 && $2 == "main" && $4 == "online"' | grep -q .; then
    echo "install-deps.sh: stopping the system cluster 15/main started by the package (tests use their own)"
    pg_ctlcluster 15 main stop || true
  fi
fi

still_missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || still_missing+=("$pkg")
done
if [ ${#still_missing[@]} -ne 0 ]; then
  echo "install-deps.sh: still missing after install: ${still_missing[*]}" >&2
  exit 1
fi
echo "install-deps.sh: done"
