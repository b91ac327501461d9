"""--randomize-allocation-candidates (upstream's randomize_allocation_candidates): without it
the candidate order is the ranked, stable one; with it, the order changes between requests."""
import uuid

import pytest

from placement_client import Client
from placement_server import ServerProcess


def first_providers(client, times):
    orders = set()
    for _ in range(times):
        resp = client.get("/allocation_candidates?resources=VCPU:1&limit=3")
        assert resp.status == 200, resp
        orders.add(tuple(list(a["allocations"])[0] for a in resp.json()["allocation_requests"]))
    return orders


@pytest.mark.parametrize("randomize", [False, True], ids=["ranked", "randomized"])
def test_candidate_order(tmp_path, randomize):
    args = ["--randomize-allocation-candidates"] if randomize else []
    server = ServerProcess("sqlite://" + str(tmp_path / "p.db"), tmp_path, extra_args=args)
    try:
        client = Client(server.url, version="1.36")
        for i in range(20):
            rp = str(uuid.uuid4())
            assert client.post("/resource_providers", json={"name": "h%d" % i, "uuid": rp}).status == 200
            resp = client.put("/resource_providers/%s/inventories" % rp,
                              json={"resource_provider_generation": 0,
                                    "inventories": {"VCPU": {"total": 8}}})
            assert resp.status == 200, resp
        orders = first_providers(client, 12)
        if randomize:
            # 20 hosts, 3 picked: 12 equal draws in a row would happen about once in 10^40.
            assert len(orders) > 1, orders
        else:
            assert len(orders) == 1, orders
    finally:
        assert server.stop() == 0
