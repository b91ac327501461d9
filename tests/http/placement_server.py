"""Starting the vgpu-placement binary and PostgreSQL test databases (used by conftest.py and the
tests of the binary itself)."""
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import urllib.parse
import uuid

import pytest

LISTEN_RE = re.compile(r"^vgpu-placement listening on (http://\S+) \(store: (.*)\)$")
START_TIMEOUT = 30
STOP_TIMEOUT = 20


def placement_bin():
    path = os.environ.get("VGPU_PLACEMENT_BIN")
    if not path:
        pytest.fail("VGPU_PLACEMENT_BIN is not set (ctest sets it to the built vgpu-placement)")
    if not os.access(path, os.X_OK):
        pytest.fail("VGPU_PLACEMENT_BIN=%s is not an executable file" % path)
    return path


def clean_env(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VGPU_PLACEMENT_")}
    env["VGPU_PLACEMENT_DATA_DIR"] = str(data_dir)
    return env


# ---------------------------------------------------------------------------------------------
# PostgreSQL: one database per module in the cluster ctest started.
# ---------------------------------------------------------------------------------------------
def pg_admin_url():
    url_file = os.environ.get("VGPU_TEST_PG_URL_FILE")
    if not url_file:
        pytest.fail("VGPU_TEST_PG_URL_FILE is not set: the PostgreSQL tests need the ctest "
                    "fixture `postgres` (tests/support/pg_cluster.sh) - they are not skipped")
    try:
        with open(url_file) as f:
            url = f.read().strip()
    except OSError as exc:
        pytest.fail("cannot read the PostgreSQL URL from %s: %s" % (url_file, exc))
    if not url.startswith(("postgresql://", "postgres://")):
        pytest.fail("%s does not hold a postgresql:// URL: %r" % (url_file, url))
    return url


def psql(url, sql):
    if not shutil.which("psql"):
        pytest.fail("psql not found (package postgresql-client-15)")
    proc = subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        pytest.fail("psql %r failed: %s" % (sql, proc.stderr.strip()))


def with_database(url, dbname):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


class PgDatabase:
    def __init__(self):
        self.admin_url = pg_admin_url()
        self.name = "t_" + uuid.uuid4().hex[:16]
        psql(self.admin_url, 'CREATE DATABASE "%s"' % self.name)
        self.url = with_database(self.admin_url, self.name)

    def drop(self):
        psql(self.admin_url, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.name)


# ---------------------------------------------------------------------------------------------
# The server process
# ---------------------------------------------------------------------------------------------
class ServerProcess:
    """`vgpu-placement serve` in a subprocess; stdout's first line gives the address."""

    def __init__(self, database_url, workdir, extra_args=(), migrate_on_start=True, expect_listen=True):
        self.database_url = database_url
        self.workdir = workdir
        self.log_path = os.path.join(str(workdir), "server.log")
        self.extra_stdout = []
        self.cmd = [placement_bin(), "serve", "--listen", "127.0.0.1:0",
                    "--database", database_url,
                    *(["--migrate-on-start"] if migrate_on_start else []), *extra_args]
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, env=clean_env(workdir))
        lines = self.lines = queue.Queue()

        def pump():
            first = True
            for raw in iter(self.proc.stdout.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if first:
                    lines.put(line)
                    first = False
                else:
                    self.extra_stdout.append(line)
            if first:
                lines.put(None)

        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()
        if not expect_listen:
            return
        try:
            first_line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.kill()
            pytest.fail("vgpu-placement printed nothing within %ss\n%s" % (START_TIMEOUT, self.log_tail()))
        if first_line is None:
            rc = self.proc.wait(timeout=10)
            pytest.fail("vgpu-placement exited (rc=%s) before listening\n%s" % (rc, self.log_tail()))
        match = LISTEN_RE.match(first_line)
        if not match:
            self.kill()
            pytest.fail("unexpected first stdout line %r\n%s" % (first_line, self.log_tail()))
        self.url = match.group(1)
        self.store = match.group(2)

    def log_tail(self, n=60):
        if not self.log.closed:
            self.log.flush()
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        return "--- server log (%s) ---\n%s" % (self.log_path, "\n".join(lines[-n:]))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.close()

    def stop(self):
        """SIGTERM, then the process must exit 0 on its own. Returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail("vgpu-placement did not exit within %ss of SIGTERM\n%s"
                        % (STOP_TIMEOUT, self.log_tail()))
        self.pump.join(timeout=5)
        self.log.close()
        return rc
