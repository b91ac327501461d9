#!/bin/sh
# A throwaway PostgreSQL 15 cluster for tests, listening on 127.0.0.1 only.
#
#   pg_cluster.sh start <dir>    initdb in <dir>/data, start on a free port, create database
#                                "placement", write its URL to <dir>/url and print it
#   pg_cluster.sh restart <dir>  restart the server (tests of reconnection)
#   pg_cluster.sh stop <dir>     stop the server and remove <dir>
#
# Needs only Debian's postgresql-15 package. The server refuses to run as root, so when run as
# root the cluster belongs to the "postgres" system user (or "vgpu-test", created if needed).
# Durability is off (fsync, synchronous_commit): the data is thrown away anyway.
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}  # overridable, for testing this script
DB_NAME=placement
DB_USER=placement

die() { echo "pg_cluster.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: pg_cluster.sh start|restart|stop <dir>"
command=$1
dir=$2
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
  die "PostgreSQL 15 server binaries not found in $PGBIN; install them with: apt-get install postgresql-15"
fi

# The user the server runs as, and how to run a command as that user.
run_as_owner() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  else
    runuser -u "$owner" -- "$@"
  fi
}
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then
    owner=postgres
  else
    owner=vgpu-test
    id "$owner" >/dev/null 2>&1 ||
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$owner"
  fi
else
  owner=$(id -un)
fi

pg_ctl() { run_as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" "$@"; }

# A port the kernel reports free; without python3, a random one (start() retries on a clash).
free_port() {
  if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  else
    echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
  fi
}

start() {
  # A leftover from an interrupted run is stopped and replaced.
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg_ctl stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  chown "$owner" "$dir"
  # The owner must be able to reach <dir>: check rather than fail obscurely inside initdb.
  run_as_owner test -w "$dir" || die "user $owner cannot write to $dir (check the permissions of its parents)"

  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  pwfile=$dir/pwfile
  printf '%s\n' "$password" >"$pwfile"
  chown "$owner" "$pwfile"
  chmod 600 "$pwfile"
  # Password authentication over TCP, so that the URL carries a password as in production.
  run_as_owner "$PGBIN/initdb" -D "$dir/data" -U "$DB_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    die "initdb failed, see $dir/initdb.log"
  rm -f "$pwfile"

  # Another process may grab the port between our probe and the server's bind: try a few.
  attempt=0
  while :; do
    attempt=$((attempt + 1))
    port=$(free_port)
    cat >"$dir/data/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
    if pg_ctl -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    [ $attempt -lt 5 ] || die "server did not start, see $dir/server.log"
  done

  PGPASSWORD=$password "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME" ||
    die "createdb failed"
  url="postgresql://$DB_USER:$password@127.0.0.1:$port/$DB_NAME"
  (umask 077 && printf '%s\n' "$url" >"$dir/url")
  echo "$url"
}

case $command in
  start) start ;;
  restart)
    [ -d "$dir/data" ] || die "no cluster in $dir"
    pg_ctl -w -t 60 -m fast restart >/dev/null || die "restart failed, see $dir/server.log"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      pg_ctl -w -m fast stop >/dev/null || die "stop failed, see $dir/server.log"
    fi
    rm -rf "$dir"
    ;;
  *) die "unknown command '$command' (start, restart or stop)" ;;
esac
