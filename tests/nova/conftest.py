"""Fixtures for driving Nova's own placement client (python3-nova, Zed) against a Placement
endpoint: our `vgpu-placement serve` (default) or any running server (VGPU_TEST_TARGET_URL).

Environment:
  VGPU_PLACEMENT_BIN    the vgpu-placement binary (ctest sets it); started once per session on a
                        fresh SQLite file, stopped with SIGTERM at the end (must exit 0).
  VGPU_TEST_TARGET_URL  use this already running Placement instead (e.g. upstream Placement 8.0.0
                        under noauth2 to validate the expectations). Tests only touch providers,
                        aggregates and consumers they create, so a shared server is fine.
  VGPU_TEST_TOKEN       token sent as X-Auth-Token (default `admin`, what noauth2 wants).
"""
import os
import queue
import re
import signal
import subprocess
import threading
import uuid

import pytest

# Nova must be imported after eventlet's monkey patching, exactly as nova/cmd/__init__.py does;
# otherwise ProviderTree's deepcopy fails on a _thread.lock.
import nova.monkey_patch  # noqa: F401,E402  pylint: disable=unused-import

LISTEN_RE = re.compile(r"^vgpu-placement listening on (http://\S+) \(store: (.*)\)$")
START_TIMEOUT = 30
STOP_TIMEOUT = 20
TOKEN = os.environ.get("VGPU_TEST_TOKEN", "admin")
TARGET_URL = os.environ.get("VGPU_TEST_TARGET_URL")


class Server:
    """`vgpu-placement serve` on a fresh SQLite database; stdout's first line gives the URL."""

    def __init__(self, binary, workdir):
        self.log_path = os.path.join(str(workdir), "server.log")
        self.log = open(self.log_path, "wb")
        env = {k: v for k, v in os.environ.items() if not k.startswith("VGPU_PLACEMENT_")}
        env["VGPU_PLACEMENT_DATA_DIR"] = str(workdir)
        self.cmd = [binary, "serve", "--listen", "127.0.0.1:0",
                    "--database", "sqlite://" + os.path.join(str(workdir), "p.db"),
                    "--migrate-on-start"]
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, env=env)
        self.extra_stdout = []
        lines = queue.Queue()

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
        try:
            first_line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.kill()
            pytest.fail("vgpu-placement printed nothing within %ss\n%s"
                        % (START_TIMEOUT, self.log_tail()))
        if first_line is None:
            rc = self.proc.wait(timeout=10)
            pytest.fail("vgpu-placement exited (rc=%s) before listening\n%s" % (rc, self.log_tail()))
        match = LISTEN_RE.match(first_line)
        if not match:
            self.kill()
            pytest.fail("unexpected first stdout line %r\n%s" % (first_line, self.log_tail()))
        self.url = match.group(1).rstrip("/")

    def log_tail(self, n=80):
        if not self.log.closed:
            self.log.flush()
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        return "--- server log (%s) ---\n%s" % (self.log_path, "\n".join(text[-n:]))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.close()

    def stop(self):
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


@pytest.fixture(scope="session")
def placement_url(tmp_path_factory):
    if TARGET_URL:
        yield TARGET_URL.rstrip("/")
        return
    binary = os.environ.get("VGPU_PLACEMENT_BIN")
    if not binary:
        pytest.fail("VGPU_PLACEMENT_BIN is not set (ctest sets it to the built vgpu-placement); "
                    "or point VGPU_TEST_TARGET_URL at a running Placement")
    if not os.access(binary, os.X_OK):
        pytest.fail("VGPU_PLACEMENT_BIN=%s is not an executable file" % binary)
    server = Server(binary, tmp_path_factory.mktemp("vgpu-placement"))
    try:
        yield server.url
    finally:
        rc = server.stop()
    assert rc == 0, "vgpu-placement exited %s after SIGTERM\n%s" % (rc, server.log_tail())
    assert not server.extra_stdout, ("vgpu-placement must print exactly one line to stdout; "
                                     "it also printed: %r" % server.extra_stdout[:10])


@pytest.fixture(scope="session")
def nova_env():
    """nova.conf parsed with no files (no DB, no RPC), objects registered."""
    import nova.conf
    import nova.config
    import nova.objects
    nova.config.parse_args(["nova-placement-test"], default_config_files=[],
                           configure_db=False, init_rpc=False)
    nova.objects.register_all()
    return nova.conf.CONF


class Recorder:
    """Every request the report client sends and what came back, for failure messages."""

    def __init__(self):
        self.calls = []

    def add(self, method, url, microversion, body, resp):
        self.calls.append((method, url, microversion, body, resp.status_code, resp.text))

    def writes(self):
        return [c for c in self.calls if c[0] in ("PUT", "POST", "DELETE", "PATCH")]

    def mark(self):
        return len(self.calls)

    def since(self, mark):
        return self.calls[mark:]

    def dump(self, last=40):
        out = []
        for method, url, mv, body, status, text in self.calls[-last:]:
            out.append("%s %s (placement %s)%s -> %s %s"
                       % (method, url, mv, "" if body is None else " body=%.400s" % (body,),
                          status, text[:400]))
        return "\n".join(out)


def make_adapter(url, recorder):
    from keystoneauth1 import adapter as ks_adapter
    from keystoneauth1 import session as ks_session
    from keystoneauth1 import token_endpoint

    class RecordingAdapter(ks_adapter.Adapter):
        def request(self, url_, method, **kwargs):
            resp = super().request(url_, method, **kwargs)
            recorder.add(method, url_, kwargs.get("microversion"), kwargs.get("json"), resp)
            return resp

    auth = token_endpoint.Token(url, TOKEN)
    # service_type is needed for microversion headers; raise_exc=False because Nova inspects
    # the status codes itself.
    return RecordingAdapter(ks_session.Session(auth=auth), service_type="placement",
                            endpoint_override=url, raise_exc=False)


class NovaPlacement:
    """A SchedulerReportClient on a fixed endpoint + token, with its call log."""

    def __init__(self, url):
        from nova.scheduler.client import report
        self.url = url
        self.recorder = Recorder()
        self.client = report.SchedulerReportClient(adapter=make_adapter(url, self.recorder))

    def explain(self):
        return "calls (last 40):\n" + self.recorder.dump()


@pytest.fixture
def nova(placement_url, nova_env):
    return NovaPlacement(placement_url)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, show every request Nova's client sent and the answers."""
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed:
        for name in ("nova", "nova_sdk"):
            client = item.funcargs.get(name)
            if client is not None:
                rep.sections.append(("%s: report client calls" % name, client.explain()))


@pytest.fixture(scope="session")
def ctx(nova_env):
    import nova.context
    return nova.context.get_admin_context()


class Http:
    """Plain HTTP to check what the server holds, independently of Nova's cache."""

    def __init__(self, url):
        import requests
        self.url = url
        self.session = requests.Session()

    def call(self, method, path, version=None, body=None):
        headers = {"X-Auth-Token": TOKEN, "Accept": "application/json"}
        if version:
            headers["OpenStack-API-Version"] = "placement %s" % version
        return self.session.request(method, self.url + path, headers=headers, json=body,
                                    timeout=30)

    def get(self, path, version=None, expect=200):
        resp = self.call("GET", path, version)
        assert resp.status_code == expect, "GET %s -> %s %s" % (path, resp.status_code, resp.text)
        return resp.json() if resp.content else None


@pytest.fixture(scope="session")
def http(placement_url):
    return Http(placement_url)


def new_uuid():
    return str(uuid.uuid4())
