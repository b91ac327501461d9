#!/bin/sh
# Install the Debian packages the benchmark needs to run upstream OpenStack Placement 8.0.0
# (../shared/bench/placement/run_bench.sh) next to ours. Run as root. Does nothing (and stays
# offline) when everything is already installed. Package services are kept from starting.
set -eu
PKGS="placement-api python3-placement python3-psycopg2 uwsgi-core uwsgi-plugin-python3 postgresql-15"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install-bench-deps: all present ($PKGS)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "install-bench-deps: need root to install:$missing" >&2; exit 1; }
echo "install-bench-deps: installing$missing"
# keep package postinst scripts from starting services (no systemd here anyway)
prc=/usr/sbin/policy-rc.d
created=0
if [ ! -e "$prc" ]; then printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod 755 "$prc"; created=1; fi
trap '[ "$created" = 1 ] && rm -f "$prc"' EXIT
apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
