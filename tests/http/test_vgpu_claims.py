"""The vGPU rules on every claim path (issue 4), over HTTP, on SQLite and PostgreSQL.

A host reported through PUT /vgpu/v1/hosts/{hostname} becomes a Nova-style provider tree whose
pGPU children are "managed": claims on them (PUT /allocations/{consumer}, POST /allocations,
POST /reshaper) must keep every vGPU rule, or get 409 with a detail naming the rule, the
provider and the numbers, and change nothing. Valid claims record the vGPUs (GET
/vgpu/v1/hosts/{hostname}) and the licence seats (GET /vgpu/v1/licenses); deleting a consumer
gives its seats back.

The helpers at the top are shared with test_vgpu_races.py.
"""
import uuid

import pytest

from placement_client import PROJECT_ID, USER_ID, UNDEFINED_CODE, Client, assert_error, unique_name

CLAIM_VERSION = "1.36"  # what Nova Zed sends for candidates and claims

# Upstream Placement has neither the /vgpu/v1 routes nor the vGPU rules.
pytestmark = pytest.mark.deliberate_difference("the vGPU layer and its claim rules are ours")


# ---------------------------------------------------------------------------------------------
# Helpers (shared with test_vgpu_races.py)
# ---------------------------------------------------------------------------------------------
def pci(n):
    """The n-th PCI address of a test host: 0000:84:00.0, 0000:85:00.0, ..."""
    return "0000:%02x:00.0" % (0x84 + n)


def gpu_spec(n, board, mode, profiles, naming="resource_class"):
    return {"pci_address": pci(n), "board": board, "mode": mode,
            "supported_profiles": list(profiles), "naming": naming}


def report_host(client, hostname, gpus, expect=(200, 201)):
    """PUT /vgpu/v1/hosts/{hostname}; returns {pci address: GPU provider uuid}."""
    resp = client.put("/vgpu/v1/hosts/" + hostname, json={"gpus": gpus})
    assert resp.status in expect, resp
    return gpu_providers(client, hostname)


def host_view(client, hostname):
    resp = client.get("/vgpu/v1/hosts/" + hostname)
    assert resp.status == 200, resp
    return resp.json()


def gpu_providers(client, hostname):
    """{pci address: provider uuid} of a managed host, from the vGPU API."""
    return {g["pci_address"]: g["provider_uuid"] for g in host_view(client, hostname)["gpus"]}


def gpu_view(client, hostname, pci_address):
    for g in host_view(client, hostname)["gpus"]:
        if g["pci_address"] == pci_address:
            return g
    raise AssertionError("no GPU %s on host %s" % (pci_address, hostname))


def placed_profiles(client, hostname, pci_address):
    """Sorted profile names of the vGPUs placed on one GPU."""
    return sorted(v["profile"] for v in gpu_view(client, hostname, pci_address)["placed"])


def set_host_state(client, hostname, state):
    resp = client.request("PATCH", "/vgpu/v1/hosts/" + hostname, json={"state": state})
    assert resp.status == 200, resp


def licences(client):
    """{edition: pool} from GET /vgpu/v1/licenses."""
    resp = client.get("/vgpu/v1/licenses")
    assert resp.status == 200, resp
    return resp.json()["pools"]


def seats_used(client, edition):
    return licences(client)[edition]["used"]


def set_pool(client, edition, total, reserve=0):
    """Sets one pool's total (None: unlimited), keeping the others."""
    pools = {e: {"total": p.get("total"), "reserve": p.get("reserve", 0)}
             for e, p in licences(client).items()}
    pools[edition] = {"total": total, "reserve": reserve}
    resp = client.put("/vgpu/v1/licenses", json={"pools": pools})
    assert resp.status == 200, resp


def vgpu_class(profile):
    """Nova's per-profile resource class: A40-4Q -> CUSTOM_VGPU_A40_4Q."""
    return "CUSTOM_VGPU_" + profile.upper().replace("-", "_")


def vgpu_trait(profile):
    return "CUSTOM_NVIDIA_" + profile.upper().replace("-", "_")


def claim_body(allocations, generation=None):
    """A PUT /allocations body at 1.36: {provider uuid: {class: amount}}."""
    return {"allocations": {rp: {"resources": res} for rp, res in allocations.items()},
            "project_id": PROJECT_ID, "user_id": USER_ID, "consumer_generation": generation}


def claim(client, consumer, allocations, generation=None):
    """PUT /allocations/{consumer}; returns the response."""
    return client.put("/allocations/" + consumer, json=claim_body(allocations, generation),
                      version=CLAIM_VERSION)


def consumer_generation(client, consumer):
    body = client.get("/allocations/" + consumer, version=CLAIM_VERSION).json()
    return body.get("consumer_generation")


def new_consumer():
    return str(uuid.uuid4())


def snapshot(client, hostname, providers):
    """Everything a refused claim must leave alone: the host view, the pools and each GPU's
    provider (generation, usages)."""
    state = {"host": host_view(client, hostname), "pools": licences(client)}
    for rp in providers:
        state[rp] = (client.get("/resource_providers/" + rp).json(),
                     client.get("/resource_providers/%s/usages" % rp).json())
    return state


def assert_refused(resp, *pieces):
    """409 with Placement's error body whose detail contains every piece."""
    return assert_error(resp, 409, code=UNDEFINED_CODE, detail=list(pieces))


@pytest.fixture
def vclient(server):
    return Client(server.url, version=CLAIM_VERSION)


@pytest.fixture
def hostname():
    return unique_name("host")


# ---------------------------------------------------------------------------------------------
# PUT /allocations/{consumer}
# ---------------------------------------------------------------------------------------------
def test_claim_records_vgpus_and_seats_and_delete_gives_them_back(vclient, hostname):
    gpus = report_host(vclient, hostname,
                       [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])
    rp = gpus[pci(0)]
    before = seats_used(vclient, "rtx_vws")
    consumer = new_consumer()
    resp = claim(vclient, consumer, {rp: {vgpu_class("A40-4Q"): 2}})
    assert resp.status == 204, resp
    assert placed_profiles(vclient, hostname, pci(0)) == ["A40-4Q", "A40-4Q"]
    assert seats_used(vclient, "rtx_vws") == before + 1  # per_vm: one seat for the VM

    resp = vclient.delete("/allocations/" + consumer)
    assert resp.status == 204, resp
    assert placed_profiles(vclient, hostname, pci(0)) == []
    assert seats_used(vclient, "rtx_vws") == before


def test_re_put_of_the_same_claim_keeps_vgpus_and_seats(vclient, hostname):
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4Q"])])[pci(0)]
    before = seats_used(vclient, "rtx_vws")
    consumer = new_consumer()
    assert claim(vclient, consumer, {rp: {vgpu_class("A40-4Q"): 1}}).status == 204
    gen = consumer_generation(vclient, consumer)
    resp = claim(vclient, consumer, {rp: {vgpu_class("A40-4Q"): 1}}, generation=gen)
    assert resp.status == 204, resp
    assert placed_profiles(vclient, hostname, pci(0)) == ["A40-4Q"]
    assert seats_used(vclient, "rtx_vws") == before + 1


def test_equal_size_gpu_locked_to_one_profile_refuses_another(vclient, hostname):
    rp = report_host(vclient, hostname,
                     [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])[pci(0)]
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4Q"): 1}}).status == 204
    before = snapshot(vclient, hostname, [rp])
    consumer = new_consumer()
    resp = claim(vclient, consumer, {rp: {vgpu_class("A40-8Q"): 1}})
    assert_refused(resp, "equal_size", rp, "A40-4Q", "A40-8Q")
    assert snapshot(vclient, hostname, [rp]) == before
    assert vclient.get("/allocations/" + consumer).json()["allocations"] == {}


def test_equal_size_gpu_takes_another_profile_once_empty(vclient, hostname):
    rp = report_host(vclient, hostname,
                     [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])[pci(0)]
    first = new_consumer()
    assert claim(vclient, first, {rp: {vgpu_class("A40-4Q"): 1}}).status == 204
    assert vclient.delete("/allocations/" + first).status == 204
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A40-8Q"): 1}}).status == 204
    assert placed_profiles(vclient, hostname, pci(0)) == ["A40-8Q"]


def test_mig_4g_after_two_3g_has_no_start(vclient, hostname):
    rp = report_host(vclient, hostname,
                     [gpu_spec(0, "A100", "mig", ["A100-3-20C", "A100-4-20C"])])[pci(0)]
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A100-3-20C"): 2}}).status == 204
    before = snapshot(vclient, hostname, [rp])
    resp = claim(vclient, new_consumer(), {rp: {vgpu_class("A100-4-20C"): 1}})
    assert_refused(resp, "mig", rp)
    assert snapshot(vclient, hostname, [rp]) == before


def test_mig_4g_plus_4g_refused_even_when_inventory_allows_it(vclient, hostname):
    """Placement's inventory is not the rule: an operator raising the 4g class's total to 2 does
    not make a second 4g.20gb fit (its only start, slice 0, is taken)."""
    rp = report_host(vclient, hostname, [gpu_spec(0, "A100", "mig", ["A100-4-20C"])])[pci(0)]
    inventories = vclient.get("/resource_providers/%s/inventories" % rp).json()
    record = dict(inventories["inventories"][vgpu_class("A100-4-20C")], total=2, max_unit=2)
    resp = vclient.put("/resource_providers/%s/inventories/%s" % (rp, vgpu_class("A100-4-20C")),
                       json=dict(record, resource_provider_generation=inventories[
                           "resource_provider_generation"]))
    assert resp.status == 200, resp
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A100-4-20C"): 1}}).status == 204
    before = snapshot(vclient, hostname, [rp])
    resp = claim(vclient, new_consumer(), {rp: {vgpu_class("A100-4-20C"): 1}})
    assert_refused(resp, "mig", rp)
    assert snapshot(vclient, hostname, [rp]) == before


def test_mig_3g_plus_4g_fits(vclient, hostname):
    rp = report_host(vclient, hostname,
                     [gpu_spec(0, "A100", "mig", ["A100-3-20C", "A100-4-20C"])])[pci(0)]
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A100-3-20C"): 1}}).status == 204
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A100-4-20C"): 1}}).status == 204
    assert placed_profiles(vclient, hostname, pci(0)) == ["A100-3-20C", "A100-4-20C"]


def test_licence_pool_exhausted(vclient, hostname):
    # The vApps pool (A series) is this test's own: no other test claims A profiles.
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4A"])])[pci(0)]
    used = seats_used(vclient, "vapps")
    set_pool(vclient, "vapps", used + 1)
    try:
        assert claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4A"): 1}}).status == 204
        before = snapshot(vclient, hostname, [rp])
        resp = claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4A"): 1}})
        assert_refused(resp, "licence", "vapps", "%d of %d" % (used + 1, used + 1))
        assert snapshot(vclient, hostname, [rp]) == before
    finally:
        set_pool(vclient, "vapps", None)


def test_draining_host_gets_no_new_vgpus(vclient, hostname):
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4Q"])])[pci(0)]
    set_host_state(vclient, hostname, "draining")
    before = snapshot(vclient, hostname, [rp])
    resp = claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4Q"): 1}})
    assert_refused(resp, "draining", hostname)
    assert snapshot(vclient, hostname, [rp]) == before
    set_host_state(vclient, hostname, "active")
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4Q"): 1}}).status == 204


def test_standby_host_gets_no_new_vgpus_by_default(vclient, hostname):
    """wake_standby_hosts is off by default: a standby host is refused like a draining one."""
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4Q"])])[pci(0)]
    set_host_state(vclient, hostname, "standby")
    before = snapshot(vclient, hostname, [rp])
    resp = claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4Q"): 1}})
    assert_refused(resp, "vGPU rule host_state", "standby", hostname)
    assert snapshot(vclient, hostname, [rp]) == before


def test_vgpus_already_held_may_stay_on_a_draining_host(vclient, hostname):
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4Q"])])[pci(0)]
    consumer = new_consumer()
    assert claim(vclient, consumer, {rp: {vgpu_class("A40-4Q"): 1}}).status == 204
    set_host_state(vclient, hostname, "draining")
    gen = consumer_generation(vclient, consumer)
    assert claim(vclient, consumer, {rp: {vgpu_class("A40-4Q"): 1}}, generation=gen).status == 204
    gen = consumer_generation(vclient, consumer)
    resp = claim(vclient, consumer, {rp: {vgpu_class("A40-4Q"): 2}}, generation=gen)
    assert_refused(resp, "draining")
    assert placed_profiles(vclient, hostname, pci(0)) == ["A40-4Q"]


def test_licence_reserve_is_out_of_reach_of_claims(vclient, hostname):
    # vApps again (this module's tests run one after another).
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4A"])])[pci(0)]
    used = seats_used(vclient, "vapps")
    set_pool(vclient, "vapps", used + 2, reserve=1)
    try:
        assert claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4A"): 1}}).status == 204
        resp = claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4A"): 1}})
        assert_refused(resp, "vGPU rule licence", "vapps", "(reserve 1)")
        assert seats_used(vclient, "vapps") == used + 1
    finally:
        set_pool(vclient, "vapps", None)


def test_plain_providers_are_not_touched_by_the_rules(vclient):
    """A provider the vGPU layer does not manage stays plain Placement: a VGPU claim there
    records no vGPU and takes no seat."""
    rp = vclient.create_provider()["uuid"]
    vclient.set_inventories(rp, {"VGPU": {"total": 4}})
    before = licences(vclient)
    consumer = new_consumer()
    assert claim(vclient, consumer, {rp: {"VGPU": 2}}).status == 204
    assert licences(vclient) == before
    assert vclient.delete("/allocations/" + consumer).status == 204


def test_trait_naming_claim_means_the_only_supported_profile(vclient, hostname):
    rp = report_host(vclient, hostname,
                     [gpu_spec(0, "A40", "equal_size", ["A40-8Q"], naming="trait")])[pci(0)]
    traits = vclient.get("/resource_providers/%s/traits" % rp).json()["traits"]
    assert vgpu_trait("A40-8Q") in traits
    assert claim(vclient, new_consumer(), {rp: {"VGPU": 1}}).status == 204
    assert placed_profiles(vclient, hostname, pci(0)) == ["A40-8Q"]


def test_trait_naming_claim_with_several_profiles_is_ambiguous(vclient, hostname):
    rp = report_host(vclient, hostname,
                     [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"], naming="trait")])[pci(0)]
    before = snapshot(vclient, hostname, [rp])
    resp = claim(vclient, new_consumer(), {rp: {"VGPU": 1}})
    assert_refused(resp, "ambiguous", rp)
    assert snapshot(vclient, hostname, [rp]) == before


# ---------------------------------------------------------------------------------------------
# POST /allocations
# ---------------------------------------------------------------------------------------------
def post_body(consumers):
    """{consumer: {provider: {class: amount}}} -> a POST /allocations body at 1.36."""
    return {c: {"allocations": {rp: {"resources": res} for rp, res in allocs.items()},
                "project_id": PROJECT_ID, "user_id": USER_ID,
                "consumer_generation": gen}
            for c, (allocs, gen) in consumers.items()}


def test_post_allocations_moves_a_consumer_between_gpus(vclient, hostname):
    gpus = report_host(vclient, hostname,
                       [gpu_spec(0, "A40", "equal_size", ["A40-4Q"]),
                        gpu_spec(1, "A40", "equal_size", ["A40-4Q"])])
    before = seats_used(vclient, "rtx_vws")
    consumer = new_consumer()
    assert claim(vclient, consumer, {gpus[pci(0)]: {vgpu_class("A40-4Q"): 1}}).status == 204
    gen = consumer_generation(vclient, consumer)
    resp = vclient.post("/allocations", version=CLAIM_VERSION, json=post_body(
        {consumer: ({gpus[pci(1)]: {vgpu_class("A40-4Q"): 1}}, gen)}))
    assert resp.status == 204, resp
    assert placed_profiles(vclient, hostname, pci(0)) == []
    assert placed_profiles(vclient, hostname, pci(1)) == ["A40-4Q"]
    assert seats_used(vclient, "rtx_vws") == before + 1


def test_post_allocations_migration_refused_on_a_locked_gpu(vclient, hostname):
    """Nova's migration: the instance's allocations move to the migration consumer and the
    instance gets the destination; a destination locked to another profile refuses both."""
    gpus = report_host(vclient, hostname,
                       [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"]),
                        gpu_spec(1, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])
    instance, migration, other = new_consumer(), new_consumer(), new_consumer()
    assert claim(vclient, instance, {gpus[pci(0)]: {vgpu_class("A40-4Q"): 1}}).status == 204
    assert claim(vclient, other, {gpus[pci(1)]: {vgpu_class("A40-8Q"): 1}}).status == 204
    before = snapshot(vclient, hostname, list(gpus.values()))
    gen = consumer_generation(vclient, instance)
    resp = vclient.post("/allocations", version=CLAIM_VERSION, json=post_body({
        migration: ({gpus[pci(0)]: {vgpu_class("A40-4Q"): 1}}, None),
        instance: ({gpus[pci(1)]: {vgpu_class("A40-4Q"): 1}}, gen)}))
    assert_refused(resp, "equal_size", gpus[pci(1)])
    assert snapshot(vclient, hostname, list(gpus.values())) == before


def test_post_allocations_emptying_a_consumer_gives_seats_back(vclient, hostname):
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4Q"])])[pci(0)]
    before = seats_used(vclient, "rtx_vws")
    consumer = new_consumer()
    assert claim(vclient, consumer, {rp: {vgpu_class("A40-4Q"): 1}}).status == 204
    gen = consumer_generation(vclient, consumer)
    resp = vclient.post("/allocations", version=CLAIM_VERSION,
                        json=post_body({consumer: ({}, gen)}))
    assert resp.status == 204, resp
    assert placed_profiles(vclient, hostname, pci(0)) == []
    assert seats_used(vclient, "rtx_vws") == before


# ---------------------------------------------------------------------------------------------
# POST /reshaper
# ---------------------------------------------------------------------------------------------
def reshape(client, provider, consumers):
    """A reshape that rewrites `provider`'s inventories as they are and sets allocations."""
    inv = client.get("/resource_providers/%s/inventories" % provider).json()
    body = {"inventories": {provider: {
                "resource_provider_generation": inv["resource_provider_generation"],
                "inventories": inv["inventories"]}},
            "allocations": post_body(consumers)}
    return client.post("/reshaper", json=body, version=CLAIM_VERSION)


def test_reshaper_refuses_a_rule_breaking_allocation(vclient, hostname):
    rp = report_host(vclient, hostname,
                     [gpu_spec(0, "A40", "equal_size", ["A40-4Q", "A40-8Q"])])[pci(0)]
    assert claim(vclient, new_consumer(), {rp: {vgpu_class("A40-4Q"): 1}}).status == 204
    before = snapshot(vclient, hostname, [rp])
    resp = reshape(vclient, rp, {new_consumer(): ({rp: {vgpu_class("A40-8Q"): 1}}, None)})
    assert_refused(resp, "equal_size", rp)
    assert snapshot(vclient, hostname, [rp]) == before


def test_reshaper_records_vgpus_of_a_valid_allocation(vclient, hostname):
    rp = report_host(vclient, hostname, [gpu_spec(0, "A40", "equal_size", ["A40-4Q"])])[pci(0)]
    before = seats_used(vclient, "rtx_vws")
    resp = reshape(vclient, rp, {new_consumer(): ({rp: {vgpu_class("A40-4Q"): 1}}, None)})
    assert resp.status == 204, resp
    assert placed_profiles(vclient, hostname, pci(0)) == ["A40-4Q"]
    assert seats_used(vclient, "rtx_vws") == before + 1
