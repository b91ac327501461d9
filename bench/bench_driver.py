#!/usr/bin/python3
"""Benchmark driver for one Placement endpoint (ours or upstream); writes a JSON file.

It reuses, unchanged, the synthetic cloud, loader, client and query shapes of the shared load
generator ../shared/bench/placement/placement_bench.py (imported from --shared-dir, never
copied), and adds what that script lacks: p99, shape d with limit=1000, claims from N concurrent
clients with a check afterwards (no provider over capacity, every acknowledged claim stored and
nothing else), the RSS of our server and its start-up time from the database.

Two modes:
  --url URL                        an already running server (upstream, via run_bench.sh RUN_CMD)
  --serve-bin BIN --database URL   start our `vgpu-placement serve` on 127.0.0.1:0 (and restart it
                                   for the start-up measurement with --startup)

Timing method is placement_bench.py's: client wall time from connect to the last body byte,
a new TCP connection per GET /allocation_candidates. Claims use one persistent connection per
client (upstream's uwsgi answers `Connection: close`, so there the client reconnects each time).
Loopback only; every loop is bounded by a request count and a time budget.
"""
import argparse
import concurrent.futures as cf
import hashlib
import http.client
import json
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

pb = None  # placement_bench module, imported in main()

EXTRA_SHAPES = {  # name -> query; the first two are placement_bench.py's own strings
    "e": "e_nova_zed_exact",
    "d": "d_two_vgpu_isolate",
    "d_limit1000": ("d_two_vgpu_isolate", "&limit=1000"),
    "c": "c_granular_a40_limit1000",
}
SHAPE_LABEL = {"e": "e (Nova Zed exact, limit=1000)", "d": "d (2 VGPU isolate, no limit)",
               "d_limit1000": "d + limit=1000", "c": "c (granular A40, limit=1000)"}


def shape_query(key):
    q = dict(pb.SHAPES)
    v = EXTRA_SHAPES[key]
    if isinstance(v, tuple):
        return q[v[0]] + v[1]
    return q[v]


def pct(xs, p):
    return pb.pct(xs, p)


# ------------------------------------------------------------------ our server
class Server:
    """Our vgpu-placement serve, started and stopped by PID."""

    def __init__(self, binary, database, extra, log_path):
        self.binary, self.database, self.extra, self.log_path = binary, database, extra, log_path
        self.proc = None
        self.url = None

    def start(self, listen="127.0.0.1:0"):
        log = open(self.log_path, "ab")
        cmd = [self.binary, "serve", "--listen", listen, "--database", self.database,
               "--migrate-on-start"] + self.extra
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log)
        log.close()
        line = self.proc.stdout.readline().decode(errors="replace").strip()
        t_line = time.perf_counter() - t0
        if not line.startswith("vgpu-placement listening on "):
            self.proc.wait(timeout=30)
            raise RuntimeError("server did not start (%r), see %s" % (line, self.log_path))
        self.url = line.split()[3]
        self.desc = line
        # first 200 on GET /
        host, port = self.url[len("http://"):].split(":")
        t_ok = None
        for _ in range(6000):  # bounded: 60 s
            try:
                c = http.client.HTTPConnection(host, int(port), timeout=5)
                c.request("GET", "/")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    t_ok = time.perf_counter() - t0
                    break
            except OSError:
                pass
            time.sleep(0.01)
        return {"listening_line_s": round(t_line, 3),
                "first_200_s": round(t_ok, 3) if t_ok is not None else None}

    def rss_kb(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for ln in f:
                    if ln.startswith("VmRSS:"):
                        return int(ln.split()[1])
        except OSError:
            return None

    def cpu_s(self):
        try:
            with open("/proc/%d/stat" % self.proc.pid) as f:
                parts = f.read().rsplit(")", 1)[1].split()
            return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                rc = self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
            return rc
        return self.proc.returncode if self.proc else None


def robust_load(cl, start, stop, threads, server):
    """placement_bench.load(), but when our server dies (it did: SIGSEGV in PUT .../traits, see
    the report) it is restarted on the same database and port, the hosts being created at that
    moment are deleted and created again. Crashes are counted and reported; the time of the
    restarts is included in the loading rate."""
    lock = threading.Lock()
    crashes = []

    def ensure_up():
        with lock:
            if server.proc.poll() is not None:
                crashes.append({"exit_code": server.proc.returncode,
                                "at": time.strftime("%H:%M:%S")})
                print("[load] SERVER DIED (exit %s); restarting on the same database"
                      % server.proc.returncode, flush=True)
                server.start(listen=server.url[len("http://"):])

    def wipe(i):
        host = "host%04d" % i
        for bus in pb.PCI_BUSES + [None]:
            name = host if bus is None else "%s_pci_0000_%s_00_0" % (host, bus)
            st, _, _ = cl.req("DELETE", "/resource_providers/%s" % pb.u(name))
            if st not in (204, 404):
                raise RuntimeError("cannot delete %s: %s" % (name, st))

    def one(i):
        for attempt in range(20):  # bounded
            try:
                return pb.create_host(cl, i)
            except (OSError, http.client.HTTPException, RuntimeError) as e:
                if attempt == 19:
                    raise
                time.sleep(0.2)
                for _ in range(300):
                    if server.proc.poll() is not None:
                        break
                    try:
                        st, _, _ = cl.req("GET", "/")
                        if st == 200:
                            break
                    except OSError:
                        pass
                    time.sleep(0.1)
                ensure_up()
                wipe(i)
        return 0

    t0 = time.perf_counter()
    nreq = 0
    with cf.ThreadPoolExecutor(threads) as ex:
        for n in ex.map(one, range(start, stop)):
            nreq += n
    dt = time.perf_counter() - t0
    return {"hosts_added": stop - start, "requests": nreq, "seconds": round(dt, 2),
            "req_per_s": round(nreq / dt, 1) if dt else None,
            "hosts_per_s": round((stop - start) / dt, 2) if dt else None,
            "server_crashes": crashes}


# ------------------------------------------------------------------ allocation candidates
def canon_digest(body):
    """Order-independent digests of allocation_requests (with mappings) and summaries."""
    ars = []
    for ar in body["allocation_requests"]:
        allocs = sorted((rp, rc, amt) for rp, a in ar["allocations"].items()
                        for rc, amt in a["resources"].items())
        maps = sorted((k, sorted(v)) for k, v in ar.get("mappings", {}).items())
        ars.append(json.dumps([allocs, maps], separators=(",", ":")))
    ars.sort()
    h_ar = hashlib.sha256("\n".join(ars).encode()).hexdigest()[:16]
    ps = body["provider_summaries"]
    canon = {}
    for rp, s in ps.items():
        s = dict(s)
        if "traits" in s:
            s["traits"] = sorted(s["traits"])
        canon[rp] = s
    h_ps = hashlib.sha256(json.dumps(canon, sort_keys=True).encode()).hexdigest()[:16]
    return h_ar, h_ps


def bench_shape(cl, key, nreq, warmup, budget_s):
    qs = shape_query(key)
    path = "/allocation_candidates?" + qs
    first = None
    for _ in range(max(1, warmup)):
        st, payload, dt = cl.req("GET", path)
        if first is None:
            first = (st, payload, dt)
        if dt > budget_s / 3:
            break
    st, payload, dt0 = first
    res = {"query": qs, "status": st, "bytes": len(payload), "first_ms": round(dt0 * 1000, 1)}
    if st != 200:
        res["error"] = payload[:400].decode(errors="replace")
        return res
    body = json.loads(payload)
    del payload
    res["allocation_requests"] = len(body["allocation_requests"])
    res["provider_summaries"] = len(body["provider_summaries"])
    roots = set()
    for ar in body["allocation_requests"]:
        for rp in ar["allocations"]:
            ps = body["provider_summaries"].get(rp, {})
            roots.add(ps.get("root_provider_uuid", rp))
    res["distinct_roots"] = len(roots)
    res["digest_requests"], res["digest_summaries"] = canon_digest(body)
    del body
    times, errors = [], 0
    t_start = time.perf_counter()
    while len(times) < nreq:
        st2, _, dt = cl.req("GET", path)
        if st2 != 200:
            errors += 1
        times.append(dt)
        if time.perf_counter() - t_start > budget_s and len(times) >= 5:
            break
    res.update({
        "samples": len(times), "errors": errors,
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(pct(times, 95) * 1000, 2),
        "p99_ms": round(pct(times, 99) * 1000, 2),
        "min_ms": round(min(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
    })
    return res


# ------------------------------------------------------------------ claims
class KeepAlive:
    """One persistent connection (http.client reopens it when the server closed it)."""

    def __init__(self, url, mv):
        hp = url[len("http://"):].rstrip("/")
        host, _, port = hp.partition(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=120)
        self.mv = mv

    def req(self, method, path, body=None):
        headers = {"X-Auth-Token": "admin", "Accept": "application/json",
                   "OpenStack-API-Version": "placement %s" % self.mv}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                payload = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return r.status, payload, time.perf_counter() - t0
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # a keep-alive connection closed by the server between requests: reconnect once
                self.conn.close()
                if attempt:
                    raise

    def close(self):
        self.conn.close()


class LeanKeepAlive:
    """The claim client: one persistent connection, the request written as prepared bytes and the
    answer read with a minimal parser (status line, Content-Length, Connection). http.client
    parses every response's headers with the email package, and with 16 clients on the same 2
    cores as the server and PostgreSQL that client-side work was a third of all CPU: the figure
    measured the load generator, not the server."""

    def __init__(self, url, mv):
        hp = url[len("http://"):].rstrip("/")
        host, _, port = hp.partition(":")
        self.addr = (host, int(port))
        self.host = hp
        self.mv = mv
        self.sock = None
        self.buf = b""

    def _connect(self):
        self.sock = socket.create_connection(self.addr, timeout=120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _read_response(self):
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionResetError("server closed the connection")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionResetError("server closed the connection mid-body")
            rest += chunk
        body, self.buf = rest[:length], rest[length:]
        if close:
            self.close()
        return status, body

    def req(self, method, path, body=None):
        if body is None:
            data = b""
        elif isinstance(body, bytes):
            data = body  # encoded before the clock started
        else:
            data = json.dumps(body).encode()
        head = ("%s %s HTTP/1.1\r\nHost: %s\r\nX-Auth-Token: admin\r\n"
                "Accept: application/json\r\nOpenStack-API-Version: placement %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % (method, path, self.host, self.mv, len(data))).encode()
        t0 = time.perf_counter()
        for attempt in (0, 1):
            try:
                if self.sock is None:
                    self._connect()
                self.sock.sendall(head + data)
                st, payload = self._read_response()
                return st, payload, time.perf_counter() - t0
            except (ConnectionResetError, BrokenPipeError):
                # a keep-alive connection closed by the server between requests: reconnect once
                self.close()
                if attempt:
                    raise


def _claim_worker(args):
    url, mv, targets, threads = args
    lat, statuses, acked, errs = [], {}, [], []
    lock = threading.Lock()
    it = iter(targets)

    def run():
        ka = LeanKeepAlive(url, mv)
        while True:
            with lock:
                t = next(it, None)
            if t is None:
                break
            cu, body = t
            try:
                st, payload, dt = ka.req("PUT", "/allocations/%s" % cu, body)
            except OSError as e:
                st, payload, dt = -1, str(e).encode(), 0.0
            with lock:
                lat.append(dt)
                statuses[st] = statuses.get(st, 0) + 1
                if st == 204:
                    acked.append(cu)
                elif len(errs) < 3:
                    errs.append("%s %s" % (st, payload[:300].decode(errors="replace")))
        ka.close()

    ths = [threading.Thread(target=run) for _ in range(threads)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    return lat, statuses, acked, errs


def _claims_with_client(client_bin, url, mv, targets, clients, workdir):
    """Runs bench/claim_client (C++) over targets; returns (wall, lat, statuses, acked, errs)."""
    host, _, port = url[len("http://"):].rstrip("/").partition(":")
    inp = os.path.join(workdir, "claims-in.txt")
    outp = os.path.join(workdir, "claims-out.txt")
    with open(inp, "w") as f:
        for cu, body in targets:
            f.write("%s %s\n" % (cu, json.dumps(body, separators=(",", ":"))))
    t0 = time.perf_counter()
    rc = subprocess.run([client_bin, host, port, mv, str(clients), inp, outp]).returncode
    wall = time.perf_counter() - t0
    lat, statuses, acked, errs = [], {}, [], []
    with open(outp) as f:
        for line in f:
            if line.startswith("# "):
                errs.append(line[2:].rstrip("\n"))
                continue
            cu, st, dt = line.split()
            st = int(st)
            lat.append(float(dt))
            statuses[st] = statuses.get(st, 0) + 1
            if st == 204:
                acked.append(cu)
    shutil.rmtree(workdir, ignore_errors=True)
    if rc not in (0, 1):
        raise RuntimeError("claim_client failed with exit code %d" % rc)
    return wall, lat, statuses, acked, errs


CLAIM_CLIENT = None  # path of bench/claim_client when --claim-client is given


def run_claims(url, mv, label, targets, clients, procs, server=None):
    """clients concurrent clients spread over procs processes (so that the Python client's GIL
    is not the bottleneck); targets: list of (consumer, body)."""
    if CLAIM_CLIENT:
        cpu0 = server.cpu_s() if server else None
        wall, lat, statuses, acked, errs = _claims_with_client(
            CLAIM_CLIENT, url, mv, targets, clients, tempfile.mkdtemp(prefix="vgpu-claims-"))
        cpu1 = server.cpu_s() if server else None
        procs = 0
    else:
        wall, lat, statuses, acked, errs, cpu0, cpu1 = _claims_python(
            url, mv, targets, clients, procs, server)
    out = {"label": label, "claims": len(targets), "clients": clients,
           "client": "bench/claim_client (C++, one thread per client)" if CLAIM_CLIENT
           else "Python, %d processes" % procs,
           "wall_s": round(wall, 3), "claims_per_s": round(len(targets) / wall, 1),
           "acked_per_s": round(len(acked) / wall, 1),
           "median_ms": round(statistics.median(lat) * 1000, 2),
           "p95_ms": round(pct(lat, 95) * 1000, 2), "p99_ms": round(pct(lat, 99) * 1000, 2),
           "statuses": {str(k): v for k, v in sorted(statuses.items())},
           "sample_errors": errs[:3]}
    if cpu0 is not None and cpu1 is not None:
        out["server_cpu_s"] = round(cpu1 - cpu0, 2)
    return out, set(acked)


def _claims_python(url, mv, targets, clients, procs, server):
    procs = max(1, min(procs, clients))
    per = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    # Bodies are encoded before the clock starts: the figure is the server's, not json.dumps's.
    chunks = [[(cu, json.dumps(body).encode()) for cu, body in targets[i::procs]]
              for i in range(procs)]
    cpu0 = server.cpu_s() if server else None
    t0 = time.perf_counter()
    if procs == 1:
        results = [_claim_worker((url, mv, chunks[0], per[0]))]
    else:
        with mp.get_context("fork").Pool(procs) as pool:
            results = pool.map(_claim_worker, [(url, mv, chunks[i], per[i]) for i in range(procs)])
    wall = time.perf_counter() - t0
    cpu1 = server.cpu_s() if server else None
    lat, statuses, acked, errs = [], {}, [], []
    for l, s, a, e in results:
        lat += l
        acked += a
        errs += e
        for k, v in s.items():
            statuses[k] = statuses.get(k, 0) + v
    return wall, lat, statuses, acked, errs, cpu0, cpu1


def verify_claims(cl_url, mv, targets, acked, threads=8):
    """Every acknowledged claim is stored as sent; no provider is over capacity; every provider's
    usage equals the sum of the acknowledged claims on it (nothing from refused claims)."""
    by_consumer = dict(targets)
    expected_usage = {}
    touched = set()
    for cu, body in targets:
        for rp, a in body["allocations"].items():
            touched.add(rp)
            if cu in acked:
                for rc, amt in a["resources"].items():
                    expected_usage.setdefault(rp, {}).setdefault(rc, 0)
                    expected_usage[rp][rc] += amt
    problems = []
    lock = threading.Lock()
    local = threading.local()

    def conn():
        if not hasattr(local, "ka"):
            local.ka = KeepAlive(cl_url, mv)
        return local.ka

    def note(msg):
        with lock:
            if len(problems) < 20:
                problems.append(msg)

    counts = {"missing_or_wrong": 0, "over_capacity": 0, "usage_mismatch": 0}

    def check_consumer(cu):
        st, payload, _ = conn().req("GET", "/allocations/%s" % cu)
        got = json.loads(payload).get("allocations", {}) if st == 200 else None
        want = by_consumer[cu]["allocations"]
        ok = got is not None and set(got) == set(want) and all(
            got[rp]["resources"] == want[rp]["resources"] for rp in want)
        if not ok:
            with lock:
                counts["missing_or_wrong"] += 1
            note("consumer %s: %s %s" % (cu, st, payload[:200]))

    def check_provider(rp):
        st1, p1, _ = conn().req("GET", "/resource_providers/%s/inventories" % rp)
        st2, p2, _ = conn().req("GET", "/resource_providers/%s/usages" % rp)
        if st1 != 200 or st2 != 200:
            note("provider %s: %s %s" % (rp, st1, st2))
            with lock:
                counts["usage_mismatch"] += 1
            return
        inv = json.loads(p1)["inventories"]
        use = json.loads(p2)["usages"]
        for rc, used in use.items():
            i = inv.get(rc)
            cap = int((i["total"] - i["reserved"]) * i["allocation_ratio"]) if i else 0
            if used > cap:
                with lock:
                    counts["over_capacity"] += 1
                note("provider %s %s used %s > capacity %s" % (rp, rc, used, cap))
        exp = expected_usage.get(rp, {})
        if any(use.get(rc, 0) != exp.get(rc, 0) for rc in set(use) | set(exp)):
            with lock:
                counts["usage_mismatch"] += 1
            note("provider %s usage %s != acknowledged %s" % (rp, use, exp))

    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(threads) as ex:
        list(ex.map(check_consumer, sorted(acked)))
        list(ex.map(check_provider, sorted(touched)))
    return {"acked_checked": len(acked), "providers_checked": len(touched),
            **counts, "ok": not any(counts.values()), "problems": problems,
            "seconds": round(time.perf_counter() - t0, 1)}


def claim_targets(n_hosts, count, tag):
    """Spread claims over all hosts except the 8 hot ones, and a hot set that over-subscribes
    8 A40 hosts (80 claims per host, 10 per pGPU; DISK_GB 2000/40 admits exactly 50 per host)."""
    proj, user = pb.u("project-bench"), pb.u("user-bench")
    hot_hosts = [i for i in range(n_hosts - 1, -1, -1) if i % 3 == 0][:8]
    hot_set = set(hot_hosts)
    spread_hosts = [i for i in range(n_hosts) if i not in hot_set]
    m = len(spread_hosts)
    spread = [(pb.u("%s-spread-%d" % (tag, k)),
               pb.claim_body(spread_hosts[k % m], (k // m) % 8, proj, user))
              for k in range(count)]
    hot = [(pb.u("%s-hot-%d" % (tag, k)),
            pb.claim_body(hot_hosts[k % len(hot_hosts)], (k // len(hot_hosts)) % 8, proj, user))
           for k in range(80 * len(hot_hosts))]
    return spread, hot, 50 * len(hot_hosts)


def claims_phase(url, mv, n_hosts, count, clients, procs, tag, server=None):
    spread, hot, hot_expected = claim_targets(n_hosts, count, tag)
    r1, a1 = run_claims(url, mv, "%d clients, spread over hosts" % clients, spread, clients,
                        procs, server)
    print("[claims]", json.dumps(r1), flush=True)
    r2, a2 = run_claims(url, mv, "%d clients, hot: %d claims on 8 A40 hosts (capacity %d)"
                        % (clients, len(hot), hot_expected), hot, clients, procs, server)
    r2["expected_acked"] = hot_expected
    r2["acked_as_expected"] = len(a2) == hot_expected
    print("[claims]", json.dumps(r2), flush=True)
    v = verify_claims(url, mv, spread + hot, a1 | a2)
    print("[verify]", json.dumps(v), flush=True)
    return {"n_hosts": n_hosts, "runs": [r1, r2], "verify": v}


# ------------------------------------------------------------------ main
def main():
    global pb
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared-dir", required=True, help="directory of placement_bench.py")
    ap.add_argument("--label", required=True, help="e.g. ours-postgresql, upstream")
    ap.add_argument("--url", help="an already running server")
    ap.add_argument("--serve-bin", help="our binary: start `serve` ourselves")
    ap.add_argument("--database", help="database URL for --serve-bin")
    ap.add_argument("--server-arg", action="append", default=[], help="extra serve argument")
    ap.add_argument("--server-log", default="/tmp/vgpu-bench-server.log")
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--shapes", default="e,d,d_limit1000",
                    help="comma list of: " + ",".join(EXTRA_SHAPES))
    ap.add_argument("--unlimited-max-hosts", type=int, default=10 ** 9,
                    help="skip shape d (no limit) above this many hosts")
    ap.add_argument("--microversion", default="1.36")
    ap.add_argument("--requests", type=int, default=50, help="timed requests per shape")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--budget", type=float, default=45.0, help="max seconds per (size, shape)")
    ap.add_argument("--load-threads", type=int, default=8)
    ap.add_argument("--claims", type=int, default=0, help="spread claims (0: no claims phase)")
    ap.add_argument("--claim-clients", type=int, default=16)
    ap.add_argument("--claim-procs", type=int, default=4)
    ap.add_argument("--claim-client", help="bench/claim_client binary (C++ load generator); "
                    "without it the Python clients run (they cost more CPU than our server)")
    ap.add_argument("--startup", action="store_true",
                    help="with --serve-bin: restart on the loaded database, time it")
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    global CLAIM_CLIENT
    CLAIM_CLIENT = args.claim_client

    sys.path.insert(0, os.path.abspath(args.shared_dir))
    import placement_bench
    pb = placement_bench

    server = None
    res = {"label": args.label, "microversion": args.microversion, "notes": args.note,
           "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "sizes": {}, "claims": None,
           "args": vars(args)}

    def save():
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(res, f, indent=1)

    try:
        if args.serve_bin:
            server = Server(args.serve_bin, args.database, args.server_arg, args.server_log)
            res["first_start"] = server.start()
            url = server.url
            res["server"] = server.desc
            print("[server]", server.desc, res["first_start"], flush=True)
        else:
            url = args.url
            res["server"] = url
        cl = pb.Client(url, args.microversion)
        res["root"] = cl.ok("GET", "/")
        for t, _ in pb.GPU_TYPES:
            cl.ok("PUT", "/traits/%s" % t, None, expect=(201, 204), mv="1.6")
        shapes = [s for s in args.shapes.split(",") if s]
        have = 0
        for n in [int(x) for x in args.sizes.split(",") if x]:
            cpu0 = server.cpu_s() if server else None
            if server:
                ld = robust_load(cl, have, n, args.load_threads, server)
            else:
                ld = pb.load(cl, have, n, args.load_threads)
            have = n
            if server:
                ld["server_cpu_s"] = (None if ld.get("server_crashes")
                                      else round(server.cpu_s() - cpu0, 2))
                ld["rss_kb_after_load"] = server.rss_kb()
            print("[load] %s N=%d %s" % (args.label, n, ld), flush=True)
            entry = {"load": ld, "shapes": {}}
            res["sizes"][str(n)] = entry
            for key in shapes:
                if key == "d" and n > args.unlimited_max_hosts:
                    entry["shapes"][key] = {"skipped": "above --unlimited-max-hosts %d"
                                            % args.unlimited_max_hosts}
                    continue
                r = bench_shape(cl, key, args.requests, args.warmup, args.budget)
                entry["shapes"][key] = r
                print("[ac] %s N=%d %-12s %s" % (args.label, n, key, json.dumps(r)), flush=True)
                save()
            if server:
                entry["rss_kb"] = server.rss_kb()
            save()
        if args.claims:
            res["claims"] = claims_phase(url, args.microversion, have, args.claims,
                                         args.claim_clients, args.claim_procs, args.label,
                                         server)
            save()
        if server and args.startup:
            rc = server.stop()
            st = server.start()
            st["previous_exit_code"] = rc
            st["rss_kb_after_start"] = server.rss_kb()
            cl = pb.Client(server.url, args.microversion)
            r = bench_shape(cl, "e", 20, 1, 20)
            st["rss_kb_after_queries"] = server.rss_kb()
            st["e_after_restart"] = {k: r.get(k) for k in
                                     ("allocation_requests", "digest_requests", "median_ms",
                                      "p99_ms")}
            res["startup"] = st
            print("[startup]", json.dumps(st), flush=True)
        if server:
            res["final_rss_kb"] = server.rss_kb()
    finally:
        if server:
            res["server_exit_code"] = server.stop()
        res["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        save()
    print("wrote", args.out)


if __name__ == "__main__":
    sys.exit(main())
