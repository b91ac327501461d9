"""Fixtures for the HTTP integration tests.

Each test module gets its own `vgpu-placement serve` process, once per backend:
  * sqlite      - a fresh database file in a temporary directory;
  * postgresql  - a fresh database `t_<random>` created in the throwaway cluster whose URL is in
                  the file named by VGPU_TEST_PG_URL_FILE (ctest's `postgres` fixture writes it).
                  Without that file the PostgreSQL tests FAIL: they are never skipped.

Environment:
  VGPU_PLACEMENT_BIN     path of the vgpu-placement binary (set by ctest).
  VGPU_TEST_PG_URL_FILE  file holding a postgresql:// URL of a server we may create databases in.
  VGPU_TEST_TARGET_URL   run every test against this already running server instead (no backend
                         parametrisation; used to validate the tests against upstream Placement).
  VGPU_TEST_UPSTREAM=1   the target is upstream OpenStack Placement: tests marked
                         `deliberate_difference` are expected to fail there (strict xfail).
"""
import os

import pytest

from placement_client import Client
from placement_server import PgDatabase, ServerProcess

TARGET_URL = os.environ.get("VGPU_TEST_TARGET_URL")
UPSTREAM = os.environ.get("VGPU_TEST_UPSTREAM") == "1"
BACKENDS = ["target"] if TARGET_URL else ["sqlite", "postgresql"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "deliberate_difference(reason): our service differs from upstream Placement on purpose; "
        "expected to fail when VGPU_TEST_UPSTREAM=1")
    config.addinivalue_line(
        "markers", "binary_only: needs the vgpu-placement binary itself (not a target URL)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("deliberate_difference")
        if marker is not None and UPSTREAM:
            reason = marker.args[0] if marker.args else "deliberate difference"
            item.add_marker(pytest.mark.xfail(strict=True, reason="upstream differs: " + reason))
        if item.get_closest_marker("binary_only") is not None and TARGET_URL:
            item.add_marker(pytest.mark.skip(reason="tests the vgpu-placement binary itself; "
                                                    "VGPU_TEST_TARGET_URL points elsewhere"))


class Target:
    """What a test module talks to: url + backend name."""

    def __init__(self, backend, url, store, process=None):
        self.backend = backend
        self.url = url
        self.store = store
        self.process = process


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    backend = request.param
    if backend == "target":
        yield Target("target", TARGET_URL.rstrip("/"), "external")
        return
    workdir = tmp_path_factory.mktemp("server-" + backend)
    database = None
    if backend == "sqlite":
        db_url = "sqlite://" + str(workdir / "placement.db")
    else:
        database = PgDatabase()
        db_url = database.url
    proc = ServerProcess(db_url, workdir)
    try:
        yield Target(backend, proc.url, proc.store, proc)
    finally:
        rc = proc.stop()
        if database is not None:
            database.drop()
    assert rc == 0, "vgpu-placement exited %s after SIGTERM\n%s" % (rc, proc.log_tail())
    assert not proc.extra_stdout, ("vgpu-placement must print exactly one line to stdout; "
                                   "it also printed: %r" % proc.extra_stdout[:10])


@pytest.fixture(params=[b for b in BACKENDS if b != "target"] or ["none"])
def fresh_database(request, tmp_path):
    """A database URL nobody has touched yet (per test), on each backend."""
    if request.param == "sqlite":
        yield "sqlite://" + str(tmp_path / "fresh.db")
    elif request.param == "postgresql":
        database = PgDatabase()
        try:
            yield database.url
        finally:
            database.drop()
    else:
        pytest.skip("no backend: tests the binary itself")


@pytest.fixture
def client(server):
    """A client at the highest microversion both the server and these tests know."""
    return Client(server.url)


@pytest.fixture
def provider(client):
    """A fresh root resource provider."""
    return client.create_provider()
