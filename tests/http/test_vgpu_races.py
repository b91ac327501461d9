"""Races on the vGPU claim path (issue 4): 32 clients claim at once for the last k slots of a
GPU or the last k seats of a licence pool. Exactly k get 204, the others 409, and afterwards
`vgpu-placement check` finds the stored state clean (exit 0) - on SQLite, on PostgreSQL, and
with two service instances sharing one PostgreSQL database (claims spread over both).

Each deployment is started here (not by conftest's `server`): the two-instance one needs two
processes on one database, and `check` needs the database URL.
"""
import subprocess
import threading
import time

import pytest

from placement_client import Client
from placement_server import PgDatabase, ServerProcess, clean_env, placement_bin, psql
from test_vgpu_claims import (CLAIM_VERSION, claim, gpu_spec, host_view, new_consumer, pci,
                              placed_profiles, report_host, seats_used, set_pool, vgpu_class)

pytestmark = pytest.mark.binary_only

THREADS = 32
DEPLOYMENTS = ["sqlite", "postgresql", "postgresql-two-instances"]


class Deployment:
    def __init__(self, name, database_url, processes, workdir):
        self.name = name
        self.database_url = database_url
        self.processes = processes
        self.workdir = workdir
        self.urls = [p.url for p in processes]

    def client(self, i=0):
        return Client(self.urls[i % len(self.urls)], version=CLAIM_VERSION)

    def log_tails(self):
        return "\n".join(p.log_tail() for p in self.processes)


@pytest.fixture(scope="module", params=DEPLOYMENTS)
def deployment(request, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("race-" + request.param)
    database = None
    if request.param == "sqlite":
        url = "sqlite://" + str(workdir / "placement.db")
    else:
        database = PgDatabase()
        url = database.url
    count = 2 if request.param.endswith("two-instances") else 1
    processes = []
    try:
        for i in range(count):  # one after the other: the first migrates the schema
            (workdir / str(i)).mkdir()
            processes.append(ServerProcess(url, workdir / str(i)))
        yield Deployment(request.param, url, processes, workdir)
    finally:
        codes = [p.stop() for p in processes]
        if database is not None:
            database.drop()
    assert codes == [0] * count, codes


def run_check(deployment):
    return subprocess.run([placement_bin(), "check", "--database", deployment.database_url],
                          capture_output=True, text=True, timeout=120,
                          env=clean_env(deployment.workdir), stdin=subprocess.DEVNULL)


def assert_check_clean(deployment):
    out = run_check(deployment)
    assert out.returncode == 0, "check exit %s\n%s\n%s" % (out.returncode, out.stdout, out.stderr)


def wait_visible(deployment, hostname, pred=lambda view: True, timeout=15):
    """Every instance sees the host as `pred` wants it (the other instance's commits arrive
    through LISTEN/NOTIFY and a reload, a moment after they were answered)."""
    for i in range(len(deployment.urls)):
        client = deployment.client(i)
        deadline = time.monotonic() + timeout
        while True:
            resp = client.get("/vgpu/v1/hosts/" + hostname)
            if resp.status == 200 and pred(resp.json()):
                break
            assert time.monotonic() < deadline, (
                "instance %d did not see host %s within %ss: %s" % (i, hostname, timeout, resp))
            time.sleep(0.05)


def race(deployment, requests):
    """Runs requests[i]() (given a client of instance i % n) in THREADS threads released at
    once; returns the statuses in order."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(i):
        client = deployment.client(i)
        barrier.wait()
        try:
            results[i] = requests[i](client)
        except Exception as exc:  # reported below with the others
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures[:3]
    return results


def statuses(results):
    return sorted(r.status for r in results)


def assert_exactly(deployment, results, k, refusal):
    """k x 204, the others 409 whose detail names the rule that refused them (`refusal`). With
    two instances a loser may also have run out of retries while the other instance's commits
    reached it: Placement's concurrent-update answer, still a 409 that wrote nothing."""
    got = statuses(results)
    assert got == [204] * k + [409] * (len(results) - k), (
        "expected %d x 204 and %d x 409, got %s\n%s" % (
            k, len(results) - k, got,
            [r.text[:300] for r in results if r.status not in (204, 409)][:3]))
    accepted = [refusal] + (["concurrently updated"] if len(deployment.urls) > 1 else [])
    for r in results:
        if r.status == 409:
            detail = r.json()["errors"][0]["detail"]
            assert any(a in detail for a in accepted), detail


def test_last_k_slots_of_an_equal_size_gpu(deployment):
    client = deployment.client()
    hostname = "race-slots-" + new_consumer()[:8]
    rp = report_host(client, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-8Q"])])[pci(0)]
    k = 3
    # A40-8Q: 6 per GPU; 3 taken, 3 left for 32 clients.
    assert claim(client, new_consumer(), {rp: {vgpu_class("A40-8Q"): 6 - k}}).status == 204
    wait_visible(deployment, hostname,
                 lambda v: len(v["gpus"][0]["placed"]) == 6 - k)
    results = race(deployment, [
        lambda c: claim(c, new_consumer(), {rp: {vgpu_class("A40-8Q"): 1}})
        for _ in range(THREADS)])
    assert_exactly(deployment, results, k, "would exceed the capacity")
    wait_visible(deployment, hostname, lambda v: len(v["gpus"][0]["placed"]) == 6)
    assert placed_profiles(client, hostname, pci(0)) == ["A40-8Q"] * 6
    assert_check_clean(deployment)


def test_last_mig_start_is_taken_once(deployment):
    """A 4g.20gb sits at slice 0: of the two 3g.20gb starts (0 and 4) only 4 is left, although
    the 3g class's inventory (2) would allow two more. The rule, not the inventory, limits."""
    client = deployment.client()
    hostname = "race-mig-" + new_consumer()[:8]
    rp = report_host(client, hostname,
                     [gpu_spec(0, "A100", "mig", ["A100-3-20C", "A100-4-20C"])])[pci(0)]
    assert claim(client, new_consumer(), {rp: {vgpu_class("A100-4-20C"): 1}}).status == 204
    wait_visible(deployment, hostname, lambda v: len(v["gpus"][0]["placed"]) == 1)
    results = race(deployment, [
        lambda c: claim(c, new_consumer(), {rp: {vgpu_class("A100-3-20C"): 1}})
        for _ in range(THREADS)])
    assert_exactly(deployment, results, 1, "vGPU rule mig on resource provider " + rp)
    wait_visible(deployment, hostname, lambda v: len(v["gpus"][0]["placed"]) == 2)
    assert placed_profiles(client, hostname, pci(0)) == ["A100-3-20C", "A100-4-20C"]
    assert_check_clean(deployment)


def test_empty_equal_size_gpu_claimed_with_two_profiles_at_once(deployment):
    """Half the clients ask A40-4Q, half A40-8Q on one empty GPU: whichever lands first locks
    the GPU; every success is of that profile and the state stays valid."""
    client = deployment.client()
    hostname = "race-lock-" + new_consumer()[:8]
    rp = report_host(client, hostname,
                     [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])[pci(0)]
    wait_visible(deployment, hostname)
    profiles = ["A40-4Q" if i % 2 else "A40-8Q" for i in range(THREADS)]
    results = race(deployment, [
        (lambda p: lambda c: claim(c, new_consumer(), {rp: {vgpu_class(p): 1}}))(p)
        for p in profiles])
    assert all(r.status in (204, 409) for r in results), statuses(results)
    won = {p for p, r in zip(profiles, results) if r.status == 204}
    assert len(won) == 1, won
    succeeded = sum(r.status == 204 for r in results)
    # Each instance sees the other's commits once its change feed has reloaded.
    wait_visible(deployment, hostname, lambda v: len(v["gpus"][0]["placed"]) == succeeded)
    placed = placed_profiles(client, hostname, pci(0))
    assert set(placed) == won
    assert len(placed) == succeeded
    assert len(placed) == min(THREADS // 2, 12 if won == {"A40-4Q"} else 6)
    assert_check_clean(deployment)


def test_last_k_licence_seats(deployment):
    """vApps seats (A series; no other race uses them): total = used + k, 32 clients on two
    GPUs (so the GPUs' generations do not serialise them all): exactly k get a seat."""
    client = deployment.client()
    hostname = "race-seats-" + new_consumer()[:8]
    gpus = report_host(client, hostname,
                       [gpu_spec(0, "A40", "equal_size", ["A40-1A"]),
                        gpu_spec(1, "A40", "equal_size", ["A40-1A"])])
    k = 3
    used = seats_used(client, "vapps")
    set_pool(client, "vapps", used + k)
    try:
        for i in range(len(deployment.urls)):
            deadline = time.monotonic() + 15
            while deployment.client(i).get("/vgpu/v1/licenses").json()["pools"]["vapps"].get(
                    "total") != used + k:
                assert time.monotonic() < deadline, "instance %d did not see the pool" % i
                time.sleep(0.05)
        wait_visible(deployment, hostname)
        targets = [gpus[pci(i % 2)] for i in range(THREADS)]
        results = race(deployment, [
            (lambda rp: lambda c: claim(c, new_consumer(), {rp: {vgpu_class("A40-1A"): 1}}))(rp)
            for rp in targets])
        assert_exactly(deployment, results, k,
                       "licence pool vapps: %d of %d seats in use" % (used + k, used + k))
        wait_visible(deployment, hostname,
                     lambda v: sum(len(g["placed"]) for g in v["gpus"]) == k)
        assert seats_used(client, "vapps") == used + k
        assert_check_clean(deployment)
    finally:
        set_pool(client, "vapps", None)


# ---------------------------------------------------------------------------------------------
# `vgpu-placement check` on the stored state (last in the module: it breaks the state, then
# mends it)
# ---------------------------------------------------------------------------------------------
def run_sql(deployment, sql):
    if deployment.database_url.startswith("sqlite://"):
        import sqlite3
        db = sqlite3.connect(deployment.database_url[len("sqlite://"):], timeout=30)
        try:
            db.execute(sql)
            db.commit()
        finally:
            db.close()
    else:
        psql(deployment.database_url, sql)


def test_check_finds_a_rule_broken_by_direct_sql(deployment):
    client = deployment.client()
    hostname = "check-" + new_consumer()[:8]
    rp = report_host(client, hostname,
                     [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])[pci(0)]
    assert claim(client, new_consumer(), {rp: {vgpu_class("A40-4Q"): 2}}).status == 204
    assert_check_clean(deployment)

    # Equal-size mode holds one profile per GPU: make one of the two vGPUs an A40-8Q.
    where = ("gpu_provider_id = (SELECT id FROM resource_providers WHERE uuid = '%s') "
             "AND ordinal = 0" % rp)
    run_sql(deployment, "UPDATE vgpu_assignments SET profile = 'A40-8Q' WHERE " + where)
    try:
        out = run_check(deployment)
        assert out.returncode == 1, (out.returncode, out.stdout, out.stderr)
        assert "error gpu_rules" in out.stdout and rp in out.stdout, out.stdout
        assert "A40-8Q" in out.stdout, out.stdout
        summary = out.stdout.strip().splitlines()[-1]
        assert "finding" in summary and " 0 errors" not in summary, out.stdout
    finally:
        run_sql(deployment, "UPDATE vgpu_assignments SET profile = 'A40-4Q' WHERE " + where)
    assert_check_clean(deployment)


def test_check_exit_code_2_on_configuration_and_database_errors(tmp_path):
    bad_url = subprocess.run([placement_bin(), "check", "--database", "mysql://nowhere/x"],
                             capture_output=True, text=True, timeout=60,
                             env=clean_env(tmp_path), stdin=subprocess.DEVNULL)
    assert bad_url.returncode == 2, bad_url
    assert "database" in bad_url.stderr, bad_url.stderr
    (tmp_path / "empty.db").touch()
    unmigrated = subprocess.run(
        [placement_bin(), "check", "--database", "sqlite://" + str(tmp_path / "empty.db")],
        capture_output=True, text=True, timeout=60, env=clean_env(tmp_path),
        stdin=subprocess.DEVNULL)
    assert unmigrated.returncode == 2, unmigrated
    assert "migrate" in unmigrated.stderr, unmigrated.stderr
    unknown = subprocess.run([placement_bin(), "check", "--no-such-option"], capture_output=True,
                             text=True, timeout=60, env=clean_env(tmp_path),
                             stdin=subprocess.DEVNULL)
    assert unknown.returncode == 2, unknown
