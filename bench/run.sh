#!/bin/bash
# bench/run.sh — one command: the issue-3 benchmark shapes against our vgpu-placement AND upstream
# OpenStack Placement 8.0.0 (Debian, uwsgi 2x1, PostgreSQL) in the same run, then a side-by-side
# markdown table with ratios and the targets met / missed.
#
# Usage (from anywhere, as root — PostgreSQL clusters run as the postgres user):
#   bench/run.sh --quick        ~2-3 min: ours 100,1000 hosts; upstream 100 hosts; few samples
#   bench/run.sh                full run, ~25 min: ours 100,1,000,10,000 hosts (PostgreSQL),
#                               ours 1,000 hosts (SQLite, claims), upstream 100,1,000 hosts
# Options (each overrides the mode's default):
#   --ours-sizes LIST       host counts loaded into ours on PostgreSQL (default full: 100,1000,10000)
#   --sqlite-sizes LIST     host counts loaded into ours on SQLite before its claims (1000)
#   --upstream-sizes LIST   host counts for upstream (100,1000). 10,000 is possible but loading
#                           takes ~18 min at ~9 hosts/s.
#   --requests N            timed GET /allocation_candidates per (size, shape), ours (200)
#   --upstream-requests N   same for upstream (50; a 45 s budget per shape caps it anyway)
#   --budget S              max seconds of timed requests per (size, shape) (45)
#   --claims N              spread claims on ours (5000), plus 640 "hot" claims on 8 hosts
#   --upstream-claims N     spread claims on upstream (500), plus the same 640 hot claims
#   --claim-clients N       concurrent claim clients (16): threads of bench/claim_client (C++)
#   --claim-procs N         with --python-claims: Python client processes the clients spread over (4)
#   --python-claims         claims from the Python clients instead (they cost more CPU than the
#                           server, so the figure is the client's more than the server's)
#   --unlimited-max-hosts N skip shape d WITHOUT limit above N hosts on ours (default: never;
#                           at 10,000 hosts it is 560,000 candidates, ~170 MB of JSON)
#   --ours-load-threads N   client threads loading ours (default 8, as upstream).
#                           Should our server crash while loading (it did before c6d4ee0 fixed a
#                           use-after-free under concurrent writes), the driver restarts it on the
#                           same database, redoes the hosts in flight and the table reports each crash.
#   --pg-fast               keep pg_cluster.sh's fsync=off/synchronous_commit=off for our
#                           PostgreSQL. Default: turn durability back ON (fsync, synchronous_commit,
#                           full_page_writes), as in upstream's cluster, so the comparison is fair.
#   --no-upstream | --no-sqlite | --no-ours   leave a part out (the table says so)
#   --bin PATH              use this vgpu-placement binary instead of building build-bench
#   --results FILE          markdown output (default bench/results/placement-<date>[-quick].md)
#   --shared DIR            the shared bench dir (default ../shared/bench/placement from the root)
# Env: UP_PGPORT (55432), UP_API_PORT (18778): ports of upstream's run_bench.sh (ours uses free ones).
# Output: the markdown table on stdout and in --results (with the command and machine facts);
# raw JSON per part beside it in <results>-json/.
# Needs: Debian packages of scripts/install-deps.sh (build, postgresql-15) and of
# bench/install-bench-deps.sh (upstream placement under uwsgi).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
PY=/usr/bin/python3
CMDLINE="bench/run.sh $*"

MODE=full
OURS_SIZES="" SQLITE_SIZES="" UP_SIZES="" REQ="" UP_REQ="" BUDGET="" CLAIMS="" UP_CLAIMS=""
CLIENTS=16 PROCS=4 PY_CLAIMS=0 OURS_LT=8 UNLIM="" PG_FAST=0 DO_UP=1 DO_SQLITE=1 DO_OURS=1 BIN="" RESULTS=""
SHARED="$ROOT/../shared/bench/placement"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) MODE=quick ;;
    --ours-sizes) OURS_SIZES=$2; shift ;;
    --sqlite-sizes) SQLITE_SIZES=$2; shift ;;
    --upstream-sizes) UP_SIZES=$2; shift ;;
    --requests) REQ=$2; shift ;;
    --upstream-requests) UP_REQ=$2; shift ;;
    --budget) BUDGET=$2; shift ;;
    --claims) CLAIMS=$2; shift ;;
    --upstream-claims) UP_CLAIMS=$2; shift ;;
    --claim-clients) CLIENTS=$2; shift ;;
    --claim-procs) PROCS=$2; shift ;;
    --python-claims) PY_CLAIMS=1 ;;
    --ours-load-threads) OURS_LT=$2; shift ;;
    --unlimited-max-hosts) UNLIM=$2; shift ;;
    --pg-fast) PG_FAST=1 ;;
    --no-upstream) DO_UP=0 ;;
    --no-sqlite) DO_SQLITE=0 ;;
    --no-ours) DO_OURS=0 ;;
    --bin) BIN=$2; shift ;;
    --results) RESULTS=$2; shift ;;
    --shared) SHARED=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ $MODE = quick ]; then
  : "${OURS_SIZES:=100,1000}" "${SQLITE_SIZES:=100}" "${UP_SIZES:=100}" "${REQ:=30}" "${UP_REQ:=10}"
  : "${BUDGET:=10}" "${CLAIMS:=1000}" "${UP_CLAIMS:=100}"
else
  : "${OURS_SIZES:=100,1000,10000}" "${SQLITE_SIZES:=1000}" "${UP_SIZES:=100,1000}" "${REQ:=200}"
  : "${UP_REQ:=50}" "${BUDGET:=45}" "${CLAIMS:=5000}" "${UP_CLAIMS:=500}"
fi

if [ ! -f "$SHARED/placement_bench.py" ] || [ ! -f "$SHARED/run_bench.sh" ]; then
  echo "run.sh: the shared benchmark scripts are ABSENT: $SHARED/placement_bench.py and" \
       "run_bench.sh are needed (read-only, never copied into the project)" >&2
  exit 1
fi
SHARED=$(cd "$SHARED" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root (the PostgreSQL clusters run as postgres)" >&2; exit 1; }

DATE=$(date +%Y-%m-%d)
if [ -z "$RESULTS" ]; then
  RESULTS="$BENCH/results/placement-$DATE$([ $MODE = quick ] && echo -quick || true).md"
fi
JSON_DIR="${RESULTS%.md}-json"
mkdir -p "$JSON_DIR"

# ---- build (Release) if needed: make is a no-op when up to date
if [ -z "$BIN" ]; then
  BIN="$ROOT/build-bench/service/vgpu-placement"
  echo "[run] building $BIN (Release)"
  if [ ! -f "$ROOT/build-bench/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  make -C "$ROOT/build-bench" -j2 vgpu-placement >/dev/null
fi
[ -x "$BIN" ] || { echo "run.sh: no binary at $BIN" >&2; exit 1; }
# the claims load generator (C++, POSIX sockets only)
CLAIM_CLIENT="$ROOT/build-bench/claim_client"
if [ $PY_CLAIMS = 0 ] && { [ ! -x "$CLAIM_CLIENT" ] || [ "$BENCH/claim_client.cpp" -nt "$CLAIM_CLIENT" ]; }; then
  mkdir -p "$ROOT/build-bench"
  g++ -std=c++20 -O2 -pthread "$BENCH/claim_client.cpp" -o "$CLAIM_CLIENT"
fi
# the commit the binary was built from (others keep committing while the benchmark runs)
GITREV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- . ':!bench' 2>/dev/null || echo ' + uncommitted changes outside bench/'), built $(date -u -r "$BIN" +%H:%M:%SZ)"

WORK=$(mktemp -d /tmp/vgpu-bench.XXXXXX)
chmod 755 "$WORK"
PGDIR="$WORK/pg"
PG_UP=0
cleanup() {
  set +e
  [ "$PG_UP" = 1 ] && "$ROOT/tests/support/pg_cluster.sh" stop "$PGDIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T0=$(date +%s)
LOAD0=$(cut -d" " -f1-3 /proc/loadavg)
DRIVER=("$PY" "$BENCH/bench_driver.py" --shared-dir "$SHARED" --budget "$BUDGET"
        --claim-clients "$CLIENTS" --claim-procs "$PROCS")
[ $PY_CLAIMS = 0 ] && DRIVER+=(--claim-client "$CLAIM_CLIENT")

if [ $DO_OURS = 1 ]; then
  # ---- ours on PostgreSQL (throwaway cluster from tests/support, free loopback port)
  URL=$("$ROOT/tests/support/pg_cluster.sh" start "$PGDIR")
  PG_UP=1
  PGNOTE="pg_cluster.sh settings (fsync=off, synchronous_commit=off)"
  if [ $PG_FAST = 0 ]; then
    psql -q "$URL" -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
         -c "ALTER SYSTEM SET full_page_writes = on" -c "ALTER SYSTEM SET max_connections = 200"
    "$ROOT/tests/support/pg_cluster.sh" restart "$PGDIR"
    PGNOTE="durable like upstream's cluster (fsync=on, synchronous_commit=on)"
  fi
  PGVER=$(psql -At "$URL" -c "SHOW server_version")
  echo "[run] ours on PostgreSQL $PGVER, $PGNOTE"
  "${DRIVER[@]}" --label ours-postgresql --serve-bin "$BIN" --database "$URL" \
    --server-log "$JSON_DIR/ours-postgresql-server.log" --sizes "$OURS_SIZES" --load-threads "$OURS_LT" \
    --requests "$REQ" --claims "$CLAIMS" --startup ${UNLIM:+--unlimited-max-hosts "$UNLIM"} \
    --note "PostgreSQL $PGVER, $PGNOTE" --out "$JSON_DIR/ours-postgresql.json"
  "$ROOT/tests/support/pg_cluster.sh" stop "$PGDIR"
  PG_UP=0
fi

if [ $DO_SQLITE = 1 ]; then
  # ---- ours on SQLite (a file in the work dir): loading and claims
  "${DRIVER[@]}" --label ours-sqlite --serve-bin "$BIN" --database "sqlite://$WORK/placement.db" \
    --server-log "$JSON_DIR/ours-sqlite-server.log" --sizes "$SQLITE_SIZES" --shapes e --load-threads "$OURS_LT" \
    --requests "$REQ" --claims "$CLAIMS" --note "SQLite file on local disk" \
    --out "$JSON_DIR/ours-sqlite.json"
fi

if [ $DO_UP = 1 ]; then
  # ---- upstream Placement 8.0.0 via the shared run_bench.sh (its own PostgreSQL on 55432, API
  #      on 18778), running the same driver through RUN_CMD
  "$BENCH/install-bench-deps.sh"
  UPCMD="$(printf '%q ' "${DRIVER[@]}") --label upstream --url \"\$PLACEMENT_URL\""
  UPCMD+=" --sizes $UP_SIZES --requests $UP_REQ --claims $UP_CLAIMS"
  UPCMD+=" --note 'upstream Placement 8.0.0, uwsgi processes=2 threads=1, PostgreSQL 15 (run_bench.sh)'"
  UPCMD+=" --out $(printf '%q' "$JSON_DIR/upstream.json")"
  # 55432 is inside Linux's ephemeral range: our benchmark's own client connections may hold it in
  # TIME-WAIT (PostgreSQL's bind then fails), so wait (bounded) until no socket uses either port.
  for p in "${UP_PGPORT:-55432}" "${UP_API_PORT:-18778}"; do
    for _ in $(seq 1 90); do
      [ -z "$(ss -tanH "sport = :$p")" ] && break
      sleep 2
    done
    if [ -n "$(ss -tanH "sport = :$p")" ]; then
      echo "run.sh: port $p (upstream's PostgreSQL/API) is in use; set UP_PGPORT / UP_API_PORT" >&2; exit 1
    fi
  done
  PGPORT="${UP_PGPORT:-55432}" API_PORT="${UP_API_PORT:-18778}" LOG_OUT="$JSON_DIR/upstream-uwsgi.log" \
    RUN_CMD="$UPCMD" "$SHARED/run_bench.sh"
fi
T1=$(date +%s)
LOAD1=$(cut -d" " -f1-3 /proc/loadavg)

{
  echo "# vgpu-placement vs upstream Placement 8.0.0 — $DATE ($MODE run)"
  echo
  echo "Command: \`$CMDLINE\` (from the project root; total $(( (T1 - T0) / 60 )) min $(( (T1 - T0) % 60 )) s)"
  echo
  if [ "$BIN" = "$ROOT/build-bench/service/vgpu-placement" ]; then
    echo "Binary: \`${BIN#$ROOT/}\` (Release) from commit $GITREV"
  else
    echo "Binary: \`$BIN\` (given with --bin: its build type and commit are the caller's; HEAD was $GITREV)"
  fi
  echo
  echo "Machine: \`nproc\` = $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $(. /etc/os-release; echo "$PRETTY_NAME")"
  echo
  echo "Load average (1/5/15 min) at the start: $LOAD0; at the end: $LOAD1 (anything else running on the 2 cores skews every figure, upstream's most)."
  echo
  echo '```'
  echo '$ free -g'
  free -g
  echo '```'
  echo
  "$PY" "$BENCH/compare.py" --json-dir "$JSON_DIR"
} >"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
echo
echo "[run] wrote $RESULTS (raw JSON in $JSON_DIR)"
