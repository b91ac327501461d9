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
import collections
import contextlib
import json
import os
import re
import sys
import uuid

import pytest

# Nova must be imported after eventlet's monkey patching, exactly as nova/cmd/__init__.py does;
# otherwise ProviderTree's deepcopy fails on a _thread.lock.
import nova.monkey_patch  # noqa: F401,E402  pylint: disable=unused-import

TOKEN = os.environ.get("VGPU_TEST_TOKEN", "admin")
TARGET_URL = os.environ.get("VGPU_TEST_TARGET_URL")


# One way to start the binary for every Python suite: tests/http/placement_server.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
from placement_server import ServerProcess  # noqa: E402


def Server(binary, workdir):
    """`vgpu-placement serve` on a fresh SQLite file (the binary comes from VGPU_PLACEMENT_BIN)."""
    return ServerProcess("sqlite://" + os.path.join(str(workdir), "p.db"), workdir)


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
        TRANSCRIPT.add(method, url, body, resp.status_code, resp.text)

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
        resp = self.session.request(method, self.url + path, headers=headers, json=body,
                                    timeout=30)
        TRANSCRIPT.add(method + " (plain)", path + " @" + str(version), body,
                       resp.status_code, resp.text)
        return resp

    def get(self, path, version=None, expect=200):
        resp = self.call("GET", path, version)
        assert resp.status_code == expect, "GET %s -> %s %s" % (path, resp.status_code, resp.text)
        return resp.json() if resp.content else None


@pytest.fixture(scope="session")
def http(placement_url):
    return Http(placement_url)


# ---------------------------------------------------------------------------------------------
# Transcript: every request of a test and its answer, normalised so that a run against our
# server can be compared call by call with a run against upstream Placement.
# ---------------------------------------------------------------------------------------------
TRANSCRIPT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "upstream_transcript.json")
RECORD_TO = os.environ.get("VGPU_TEST_RECORD_TRANSCRIPT")   # write the transcript here
UUID_RE = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


class Transcript:
    def __init__(self):
        self.test = None
        self.calls = {}
        self.names = {}
        self.fixed_names = {}

    def start(self, test):
        self.test = test
        self.calls[test] = []
        self.names = dict(self.fixed_names)

    def register(self, value, kind="U"):
        """A value this test made up (uuid, name token): shown as a stable label."""
        if value not in self.names:
            self.names[value] = "<%s%d>" % (kind, len(self.names) + 1)
        return value

    @contextlib.contextmanager
    def paused(self):
        """Calls whose answer depends on what else the server holds (not compared)."""
        test, self.test = self.test, None
        try:
            yield
        finally:
            self.test = test

    def add(self, method, url, body, status, text):
        if self.test is not None:
            self.calls[self.test].append((method, url, body, status, text))

    def _text(self, text, base):
        if base and text.startswith(base):
            text = text[len(base):] or "/"
        for value in sorted(self.names, key=len, reverse=True):
            text = text.replace(value, self.names[value])
        return UUID_RE.sub("<unregistered-uuid>", text)

    def _json(self, data):
        if isinstance(data, dict):
            return {k: self._json(v) for k, v in data.items() if k != "request_id"}
        if isinstance(data, list):
            items = [self._json(v) for v in data]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        return data

    def normalised(self, test, base):
        out = []
        for method, url, body, status, text in self.calls.get(test, []):
            url = self._text(url, base)
            if "?name=in:" in url:
                head, _, names = url.partition("?name=in:")
                url = head + "?name=in:" + ",".join(sorted(names.split(",")))
            if body is not None:
                body = self._json(json.loads(self._text(json.dumps(body), base)))
            try:
                answer = self._json(json.loads(self._text(text, base))) if text else None
            except ValueError:
                answer = self._text(text, base)
            out.append(json.dumps({"request": "%s %s" % (method, url), "body": body,
                                   "status": status, "answer": answer}, sort_keys=True))
        return sorted(out)


TRANSCRIPT = Transcript()


def new_uuid():
    return TRANSCRIPT.register(str(uuid.uuid4()))


def new_token():
    """A short random word for provider names, unique per run."""
    return TRANSCRIPT.register(uuid.uuid4().hex[:8], "T")


def register(value):
    return TRANSCRIPT.register(value)


def _upstream_transcript():
    try:
        with open(TRANSCRIPT_FILE) as f:
            return json.load(f)
    except OSError:
        return None


_recorded = {}


# Operator-made profile traits, created before any test so that no test's calls depend on which
# test ran first (Nova only PUTs /traits/X for traits the server does not have yet).
PROFILE_TRAITS = ["CUSTOM_NVIDIA_A40_4Q", "CUSTOM_NVIDIA_A40_2Q"]


@pytest.fixture(scope="session")
def profile_traits(http):
    for trait in PROFILE_TRAITS:
        resp = http.call("PUT", "/traits/" + trait, "1.6")
        assert resp.status_code in (201, 204), resp.text
    return PROFILE_TRAITS


@pytest.fixture(autouse=True)
def transcript(request, placement_url, profile_traits):
    """Compare this test's calls with upstream's recorded ones (our binary only), or record
    them (VGPU_TEST_RECORD_TRANSCRIPT, normally with VGPU_TEST_TARGET_URL=upstream)."""
    name = request.node.name
    TRANSCRIPT.start(name)
    yield TRANSCRIPT
    calls = TRANSCRIPT.normalised(name, placement_url)
    TRANSCRIPT.test = None
    if RECORD_TO:
        _recorded[name] = calls
        with open(RECORD_TO, "w") as f:
            json.dump(_recorded, f, indent=1, sort_keys=True)
            f.write("\n")
        return
    if TARGET_URL:
        return   # some other server: nothing to compare with
    golden = (_upstream_transcript() or {}).get(name)
    if golden is None:
        pytest.fail("no upstream transcript for %s in %s (record it with "
                    "VGPU_TEST_RECORD_TRANSCRIPT against upstream)" % (name, TRANSCRIPT_FILE))
    ours, theirs = collections.Counter(calls), collections.Counter(golden)
    only_ours = sorted((ours - theirs).elements())
    only_upstream = sorted((theirs - ours).elements())
    if only_ours or only_upstream:
        pytest.fail("the calls differ from upstream Placement's answers to the same client "
                    "(%d only here, %d only upstream):\n--- here:\n%s\n--- upstream:\n%s"
                    % (len(only_ours), len(only_upstream), "\n".join(only_ours[:30]),
                       "\n".join(only_upstream[:30])))
