"""Concurrent writers: many clients creating and changing providers at once.

Regression test: handlers used to keep a reference into the snapshot they replaced after their
own commit; another client's publish could free it and the server crashed (SIGSEGV) while eight
clients loaded hosts. Every write must be answered and stored, and the server must live on.
"""
import threading
import uuid

from placement_client import Client

THREADS = 8
HOSTS_PER_THREAD = 25


def load_hosts(base_url, prefix, failures):
    client = Client(base_url, version="1.36")
    for i in range(HOSTS_PER_THREAD):
        root = str(uuid.uuid4())
        steps = [
            ("POST", "/resource_providers", {"name": "%s-%d" % (prefix, i), "uuid": root}, 200),
            ("PUT", "/resource_providers/%s/inventories" % root,
             {"resource_provider_generation": 0, "inventories": {"VCPU": {"total": 16}}}, 200),
            ("PUT", "/resource_providers/%s/traits" % root,
             {"resource_provider_generation": 1, "traits": ["COMPUTE_NODE"]}, 200),
            ("PUT", "/resource_providers/%s/aggregates" % root,
             {"resource_provider_generation": 2, "aggregates": [str(uuid.uuid4())]}, 200),
            ("POST", "/resource_providers",
             {"name": "%s-%d-gpu" % (prefix, i), "parent_provider_uuid": root}, 200),
        ]
        for method, path, body, status in steps:
            resp = client.request(method, path, json=body)
            if resp.status != status:
                failures.append("%s %s -> %s %s" % (method, path, resp.status, resp.text[:200]))


def test_eight_clients_loading_hosts_at_once(server):
    failures = []
    threads = [threading.Thread(target=load_hosts, args=(server.url, "c%d-%s" % (n, uuid.uuid4().hex[:6]), failures))
               for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures[:5]
    client = Client(server.url, version="1.36")
    providers = client.get("/resource_providers?required=COMPUTE_NODE").json()["resource_providers"]
    roots = [p for p in providers if p["parent_provider_uuid"] is None]
    assert len(roots) >= THREADS * HOSTS_PER_THREAD
    for p in roots[:20]:
        assert p["generation"] == 3, p
    if server.process is not None:
        assert server.process.proc.poll() is None, "the server died:\n" + server.process.log_tail()
