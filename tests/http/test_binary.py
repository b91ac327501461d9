"""The vgpu-placement binary around the API: schema handling at start-up, migrate, signals.
(These start their own processes; they do not apply to VGPU_TEST_TARGET_URL.)"""
import socket
import subprocess

import pytest

from placement_server import ServerProcess, clean_env, placement_bin
from placement_client import Client

pytestmark = pytest.mark.binary_only


def run(args, workdir, timeout=60):
    return subprocess.run([placement_bin(), *args], capture_output=True, text=True, timeout=timeout,
                          env=clean_env(workdir), stdin=subprocess.DEVNULL)


def test_version_and_help(tmp_path):
    out = run(["--version"], tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("vgpu-placement "), out
    for args in (["serve", "--help"], ["migrate", "--help"]):
        out = run(args, tmp_path)
        assert out.returncode == 0, out
        assert "--database" in out.stdout, out


def test_serve_refuses_unmigrated_database_then_migrate_is_idempotent(fresh_database, tmp_path):
    refused = ServerProcess(fresh_database, tmp_path, migrate_on_start=False, expect_listen=False)
    try:
        rc = refused.proc.wait(timeout=30)
    finally:
        if refused.proc.poll() is None:
            refused.kill()
    assert rc != 0, "serve started on an unmigrated database without --migrate-on-start"
    assert "migrat" in refused.log_tail().lower(), refused.log_tail()
    assert refused.lines.get(timeout=5) is None, "nothing may be printed on stdout when refusing"

    for _ in range(2):
        out = run(["migrate", "--database", fresh_database], tmp_path)
        assert out.returncode == 0, out

    served = ServerProcess(fresh_database, tmp_path, migrate_on_start=False)
    try:
        client = Client(served.url)
        rp = client.create_provider()
        assert client.get("/resource_providers/" + rp["uuid"]).status == 200
    finally:
        rc = served.stop()
    assert rc == 0, served.log_tail()


def test_state_survives_a_restart(fresh_database, tmp_path):
    first = ServerProcess(fresh_database, tmp_path)
    try:
        client = Client(first.url)
        rp = client.create_provider()
        client.set_inventories(rp["uuid"], {"VCPU": {"total": 4}})
        trait = client.create_trait()
        client.set_traits(rp["uuid"], [trait])
        rc_name = client.create_resource_class()
        before = client.provider_state(rp["uuid"])
    finally:
        assert first.stop() == 0, first.log_tail()
    second = ServerProcess(fresh_database, tmp_path)
    try:
        client = Client(second.url)
        assert client.provider_state(rp["uuid"]) == before
        assert client.get("/resource_classes/" + rc_name).status == 200
        assert client.get("/traits/" + trait).status == 204
    finally:
        assert second.stop() == 0, second.log_tail()


def test_sigterm_with_idle_keep_alive_connection_exits_0(fresh_database, tmp_path):
    proc = ServerProcess(fresh_database, tmp_path)
    client = Client(proc.url)
    sock = socket.create_connection((client.host, client.port), timeout=10)
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        assert proc.stop() == 0, proc.log_tail()  # must not wait for the idle timeout
    finally:
        sock.close()


@pytest.mark.parametrize("args", [["serve", "--listen", "nonsense"], ["serve", "--workers", "0"],
                                  ["serve", "--no-such-flag"], ["frobnicate"]])
def test_bad_command_line_exits_non_zero(tmp_path, args):
    out = run(args, tmp_path)
    assert out.returncode != 0, out
    assert out.stderr.strip(), out
    assert "listening" not in out.stdout
