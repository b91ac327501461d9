"""GET /allocation_candidates (what Nova's scheduler asks) applies the vGPU rules and ranking to
managed GPUs, on SQLite and PostgreSQL: a GPU that a rule refuses is not offered, and among the
GPUs that may take the vGPU the better placement comes first. Plain providers keep Placement's
answer (the conformance suite and the Nova client test check that).
"""
import pytest

from test_vgpu_claims import (CLAIM_VERSION, claim, gpu_spec, new_consumer, pci, report_host,
                              set_host_state, vgpu_class, vclient, hostname)  # noqa: F401

pytestmark = pytest.mark.deliberate_difference("the vGPU rules and ranking are ours")


def candidates(client, query):
    resp = client.get("/allocation_candidates?" + query)
    assert resp.status == 200, resp
    return resp.json()["allocation_requests"]


def gpus_offered(reqs, gpu_uuids):
    """The managed GPUs of each allocation request, in answer order."""
    return [rp for r in reqs for rp in r["allocations"] if rp in gpu_uuids]


def test_a_gpu_locked_to_another_profile_is_not_offered(vclient, hostname):
    rps = report_host(vclient, hostname,
                      [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"]),
                       gpu_spec(1, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])
    assert claim(vclient, new_consumer(), {rps[pci(0)]: {vgpu_class("A40-8Q"): 1}}).status == 204
    offered = gpus_offered(candidates(vclient, "resources=%s:1" % vgpu_class("A40-4Q")),
                           set(rps.values()))
    # GPU 0 hosts an A40-8Q: equal-size mode allows one profile per GPU, so only GPU 1.
    assert offered == [rps[pci(1)]]
    # The profile it hosts is still offered there, first (fuller GPU first).
    offered = gpus_offered(candidates(vclient, "resources=%s:1" % vgpu_class("A40-8Q")),
                           set(rps.values()))
    assert offered == [rps[pci(0)], rps[pci(1)]]


def test_a_busy_gpu_comes_before_an_idle_one_and_a_draining_host_is_left_out(vclient, hostname):
    rps = report_host(vclient, hostname,
                      [gpu_spec(0, "A40", "equal_size", ["A40-4Q"]),
                       gpu_spec(1, "A40", "equal_size", ["A40-4Q"])])
    # GPU 1 already runs a vGPU: packing and energy both prefer it for the next one.
    assert claim(vclient, new_consumer(), {rps[pci(1)]: {vgpu_class("A40-4Q"): 1}}).status == 204
    query = "resources=%s:1" % vgpu_class("A40-4Q")
    assert gpus_offered(candidates(vclient, query), set(rps.values())) == [rps[pci(1)],
                                                                           rps[pci(0)]]
    set_host_state(vclient, hostname, "draining")
    assert gpus_offered(candidates(vclient, query), set(rps.values())) == []


def test_the_spread_hint_trait_puts_the_emptiest_gpu_first(vclient, hostname):
    """A flavor with `trait:CUSTOM_VGPU_SPREAD=required` makes Nova send
    `required=CUSTOM_VGPU_SPREAD`: a request flag (no provider carries the trait) that ranks the
    emptiest GPU first, where packing would put the busy one first."""
    rps = report_host(vclient, hostname,
                      [gpu_spec(0, "A40", "equal_size", ["A40-4Q"]),
                       gpu_spec(1, "A40", "equal_size", ["A40-4Q"])])
    assert claim(vclient, new_consumer(), {rps[pci(1)]: {vgpu_class("A40-4Q"): 1}}).status == 204
    gpus = set(rps.values())
    packed = "resources=%s:1" % vgpu_class("A40-4Q")
    assert gpus_offered(candidates(vclient, packed), gpus) == [rps[pci(1)], rps[pci(0)]]
    spread = packed + "&required=CUSTOM_VGPU_SPREAD"
    assert gpus_offered(candidates(vclient, spread), gpus) == [rps[pci(0)], rps[pci(1)]]
    # Forbidding the hint is no hint at all; the trait was never created.
    assert gpus_offered(candidates(vclient, packed + "&required=!CUSTOM_VGPU_SPREAD"),
                        gpus) == [rps[pci(1)], rps[pci(0)]]
    assert vclient.get("/traits/CUSTOM_VGPU_SPREAD").status == 404
    # Upstream's errors still come first: a hint in a group without resources is orphaned.
    resp = vclient.get("/allocation_candidates?" + packed + "&required1=CUSTOM_VGPU_SPREAD")
    assert resp.status == 400, resp
