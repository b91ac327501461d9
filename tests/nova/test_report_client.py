"""Nova's own placement client (nova.scheduler.client.report.SchedulerReportClient, Zed 26.2.2)
against a Placement endpoint, called exactly the way nova-compute, nova-scheduler and
nova-conductor call it:

1. the compute side publishes a libvirt-shaped provider tree (root VCPU/MEMORY_MB/DISK_GB,
   one child per pGPU with VGPU inventory and a CUSTOM trait per vGPU profile, aggregates);
2. the scheduler turns a flavor into a ResourceRequest and asks for allocation candidates;
3. the scheduler claims the first candidate; the conductor moves allocations to a migration
   consumer and back; the compute deletes them;
4. a compute restart reshapes pre-Stein VGPU inventory and allocations from the root to pGPU
   children (POST /reshaper), with the libvirt driver's own reshape code;
5. the same client built from nova.conf only ([placement] auth_type=admin_token), which goes
   through openstacksdk and version discovery.

Every expectation is what upstream Placement 8.0.0 answers (run with VGPU_TEST_TARGET_URL
pointing at upstream to check). Each test builds its own compute nodes (unique names, uuids and
aggregate), so tests are independent and a shared server is fine.
"""
import collections
import copy

import pytest

from conftest import TRANSCRIPT, NovaPlacement, new_token, new_uuid, register

ROOT_TRAITS = ["COMPUTE_IMAGE_TYPE_QCOW2", "COMPUTE_NET_ATTACH_INTERFACE",
               "COMPUTE_VOLUME_EXTEND", "HW_CPU_X86_AVX2"]
# libvirt name of the pGPU, VGPU total (= max_unit), the operator's profile trait
PGPUS = [("pci_0000_84_00_0", 4, "CUSTOM_NVIDIA_A40_4Q"),
         ("pci_0000_85_00_0", 8, "CUSTOM_NVIDIA_A40_2Q"),
         ("pci_0000_86_00_0", 4, "CUSTOM_NVIDIA_A40_4Q")]
PROJECT = "9f2c0e6a1a1d4ac7b0c6cbd7e5b1a001"
USER = "5d9e8a3c7b3f4f0c9f1d0c2e6a7b0002"
TRANSCRIPT.fixed_names.update({PROJECT: "<project>", USER: "<user>"})


def root_inventory():
    # What the libvirt driver reports (nova/virt/libvirt/driver.py update_provider_tree).
    return {
        "VCPU": {"total": 32, "reserved": 0, "min_unit": 1, "max_unit": 32,
                 "step_size": 1, "allocation_ratio": 16.0},
        "MEMORY_MB": {"total": 131072, "reserved": 512, "min_unit": 1, "max_unit": 131072,
                      "step_size": 1, "allocation_ratio": 1.5},
        "DISK_GB": {"total": 1000, "reserved": 0, "min_unit": 1, "max_unit": 1000,
                    "step_size": 1, "allocation_ratio": 1.0},
    }


def vgpu_inventory(total):
    # _get_gpu_inventories(): total = mdevs + available_instances, max_unit = total
    return {"total": total, "min_unit": 1, "max_unit": total, "step_size": 1, "reserved": 0,
            "allocation_ratio": 1.0}


ROOT_CAPACITY = {"VCPU": 512, "MEMORY_MB": 195840, "DISK_GB": 1000}


class Compute:
    """One compute node's provider tree as the libvirt driver publishes it."""

    def __init__(self, nova, ctx, agg, disabled=False, pgpus=PGPUS):
        self.name = "compute-%s.maas" % new_token()
        self.uuid = new_uuid()
        self.agg = agg
        self.pgpus = pgpus
        rc = nova.client
        tree = rc.get_provider_tree_and_ensure_root(ctx, self.uuid, name=self.name)
        assert tree.data(self.uuid).name == self.name
        tree.update_inventory(self.name, root_inventory())
        tree.update_traits(self.name, ROOT_TRAITS + (["COMPUTE_STATUS_DISABLED"] if disabled
                                                     else []))
        tree.update_aggregates(self.name, [agg])
        for dev, total, trait in pgpus:
            child = "%s_%s" % (self.name, dev)
            tree.new_child(child, self.name)
            tree.update_inventory(child, {"VGPU": vgpu_inventory(total)})
            tree.update_traits(child, [trait])
        rc.update_from_provider_tree(ctx, tree)
        self.tree = tree
        self.child = {dev: register(tree.data("%s_%s" % (self.name, dev)).uuid)
                      for dev, _, _ in pgpus}
        self.traits = {self.uuid: sorted(ROOT_TRAITS + (["COMPUTE_STATUS_DISABLED"] if disabled
                                                        else []))}
        self.traits.update({self.child[dev]: [trait] for dev, _, trait in pgpus})
        self.total = {dev: total for dev, total, _ in pgpus}

    def uuids(self):
        return [self.uuid] + [self.child[dev] for dev, _, _ in self.pgpus]


def make_spec(ctx, extra_specs, agg=None, vcpus=2, memory_mb=2048, root_gb=20):
    """RequestSpec the way the API builds it (RequestSpec.from_components)."""
    from nova import objects
    flavor = objects.Flavor(vcpus=vcpus, memory_mb=memory_mb, root_gb=root_gb, ephemeral_gb=0,
                            swap=0, extra_specs=dict(extra_specs), name="vgpu.small",
                            flavorid="vgpu-small", is_public=True)
    image = objects.ImageMeta(properties=objects.ImageMetaProps())
    spec = objects.RequestSpec.from_components(
        ctx, new_uuid(), image, flavor, None, None, {}, None, None,
        project_id=PROJECT, user_id=USER)
    if agg:
        # What map_az_to_placement_aggregate / require_tenant_aggregate leave behind.
        spec.requested_destination = objects.Destination(aggregates=[agg])
    return spec


def scheduler_query(nova, ctx, spec):
    """SchedulerManager.select_destinations: request filters, then resources_from_request_spec,
    then get_allocation_candidates (microversion 1.36)."""
    from nova.scheduler import request_filter
    from nova.scheduler import utils as sched_utils
    request_filter.process_reqspec(ctx, spec)
    res_req = sched_utils.resources_from_request_spec(ctx, spec, None)
    return res_req, nova.client.get_allocation_candidates(ctx, res_req)


def by_root(alloc_reqs, summaries):
    """SchedulerManager: allocation requests indexed under every provider they touch."""
    out = collections.defaultdict(list)
    for ar in alloc_reqs:
        for rp in ar["allocations"]:
            out[rp].append(ar)
    return out


def flavor_resources():
    return {"VCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 20}


def summary(compute, used=None, with_children=True):
    used = used or {}
    out = {compute.uuid: {
        "resources": {rc: {"capacity": cap, "used": used.get((compute.uuid, rc), 0)}
                      for rc, cap in ROOT_CAPACITY.items()},
        "traits": compute.traits[compute.uuid],
        "parent_provider_uuid": None,
        "root_provider_uuid": compute.uuid}}
    if with_children:
        for dev, total, _ in compute.pgpus:
            u = compute.child[dev]
            out[u] = {"resources": {"VGPU": {"capacity": total,
                                             "used": used.get((u, "VGPU"), 0)}},
                      "traits": compute.traits[u],
                      "parent_provider_uuid": compute.uuid,
                      "root_provider_uuid": compute.uuid}
    return out


def normalise_summaries(summaries):
    return {u: dict(s, traits=sorted(s["traits"])) for u, s in summaries.items()}


def normalise_request(ar):
    return {"allocations": ar["allocations"],
            "mappings": {k: sorted(v) for k, v in ar["mappings"].items()}}


def key(ar):
    return repr(sorted((u, sorted(a["resources"].items())) for u, a in ar["allocations"].items()))


def candidates(compute, devs, group="", vgpu=1):
    """Expected allocation requests: flavor resources on the root, VGPU on each pGPU in devs."""
    out = []
    for dev in devs:
        child = compute.child[dev]
        if group == "":
            mappings = {"": sorted([compute.uuid, child])}
        else:
            mappings = {"": [compute.uuid], group: [child]}
        out.append({"allocations": {compute.uuid: {"resources": flavor_resources()},
                                    child: {"resources": {"VGPU": vgpu}}},
                    "mappings": mappings})
    return sorted(out, key=key)


# ---------------------------------------------------------------------------------------------
# 1. Compute side: the provider tree
# ---------------------------------------------------------------------------------------------
def test_provider_tree_published(nova, ctx, http):
    agg = new_uuid()
    c = Compute(nova, ctx, agg)
    rc = nova.client
    calls = nova.recorder.calls
    assert all(200 <= status < 300 for _, _, _, _, status, _ in calls), nova.explain()

    # The server holds exactly that tree.
    rps = http.get("/resource_providers?in_tree=%s" % c.uuid, "1.14")["resource_providers"]
    got = {rp["uuid"]: (rp["name"], rp["parent_provider_uuid"], rp["root_provider_uuid"])
           for rp in rps}
    want = {c.uuid: (c.name, None, c.uuid)}
    want.update({c.child[dev]: ("%s_%s" % (c.name, dev), c.uuid, c.uuid) for dev, _, _ in PGPUS})
    assert got == want
    for u in c.uuids():
        inv = http.get("/resource_providers/%s/inventories" % u)
        want_inv = (root_inventory() if u == c.uuid
                    else {"VGPU": vgpu_inventory(c.total[[d for d in c.child
                                                          if c.child[d] == u][0]])})
        assert inv["inventories"] == want_inv, u
        traits = http.get("/resource_providers/%s/traits" % u, "1.6")
        assert sorted(traits["traits"]) == c.traits[u]
        aggs = http.get("/resource_providers/%s/aggregates" % u, "1.19")
        assert aggs["aggregates"] == ([agg] if u == c.uuid else [])
        # Nova's cache holds the server's generations (or its next write would conflict).
        assert traits["resource_provider_generation"] == inv["resource_provider_generation"]
        assert rc._provider_tree.data(u).generation == inv["resource_provider_generation"]

    # Nova's client view through its own GET helpers.
    assert sorted(rc.get_provider_traits(ctx, c.uuid).traits) == c.traits[c.uuid]
    assert rc._get_provider_aggregates(ctx, c.uuid).aggregates == {agg}
    assert rc.get_resource_provider_name(ctx, c.child["pci_0000_84_00_0"]) == \
        "%s_pci_0000_84_00_0" % c.name
    in_tree = rc.get_providers_in_tree(ctx, c.uuid)
    assert sorted(p["uuid"] for p in in_tree) == sorted(c.uuids())
    by_name = rc.get_provider_by_name(ctx, c.name)
    assert by_name["uuid"] == c.uuid

    # The periodic update with an unchanged tree sends nothing.
    mark = nova.recorder.mark()
    rc.update_from_provider_tree(ctx, rc.get_provider_tree_and_ensure_root(ctx, c.uuid,
                                                                            name=c.name))
    assert [x for x in nova.recorder.since(mark) if x[0] != "GET"] == []

    # A restarted compute (empty cache) reads the tree back and finds it identical: nothing to
    # write. This is the read path of every GET nova-compute makes at start.
    fresh = NovaPlacement(nova.url)
    tree = fresh.client.get_provider_tree_and_ensure_root(ctx, c.uuid, name=c.name)
    assert tree.get_provider_uuids() == c.tree.get_provider_uuids()
    for u in c.uuids():
        d, want_d = tree.data(u), rc._provider_tree.data(u)
        assert (d.name, d.parent_uuid, d.inventory, d.traits, d.aggregates, d.generation) == \
            (want_d.name, want_d.parent_uuid, want_d.inventory, want_d.traits,
             want_d.aggregates, want_d.generation), u
    fresh.client.update_from_provider_tree(ctx, tree)
    assert fresh.recorder.writes() == [], fresh.explain()

    # Changes flow through: one more mdev on 0000:85, a new profile trait, a second aggregate.
    child85 = "%s_pci_0000_85_00_0" % c.name
    agg2 = new_uuid()
    new_trait = register("CUSTOM_VGPU_PLACEMENT_" + new_token().upper())
    tree.update_inventory(child85, {"VGPU": vgpu_inventory(9)})
    tree.update_traits(child85, ["CUSTOM_NVIDIA_A40_2Q", new_trait])
    tree.update_aggregates(c.name, [agg, agg2])
    fresh.client.update_from_provider_tree(ctx, tree)
    u85 = c.child["pci_0000_85_00_0"]
    assert http.get("/resource_providers/%s/inventories" % u85)["inventories"] == \
        {"VGPU": vgpu_inventory(9)}
    assert sorted(http.get("/resource_providers/%s/traits" % u85, "1.6")["traits"]) == \
        ["CUSTOM_NVIDIA_A40_2Q", new_trait]
    assert sorted(http.get("/resource_providers/%s/aggregates" % c.uuid, "1.19")
                  ["aggregates"]) == sorted([agg, agg2])
    # The new trait was created on the way (GET /traits?name=in:..., PUT /traits/X -> 201).
    assert http.get("/traits?name=in:" + new_trait, "1.6")["traits"] == [new_trait]
    assert ("PUT", "/traits/" + new_trait, 201) in [
        (m, u, st) for m, u, _, _, st, _ in fresh.recorder.calls]
    for u in c.uuids():
        gen = http.get("/resource_providers/%s" % u, "1.14")["generation"]
        assert fresh.client._provider_tree.data(u).generation == gen

    # Same name, another uuid: Placement answers 409 and Nova raises.
    from nova import exception
    other = NovaPlacement(nova.url)
    with pytest.raises(exception.ResourceProviderCreationFailed):
        other.client.get_provider_tree_and_ensure_root(ctx, new_uuid(), name=c.name)
    assert other.recorder.calls[-1][4] == 409

    # A pGPU that disappears (total 0 -> no provider) is deleted by update_from_provider_tree.
    tree.remove("%s_pci_0000_86_00_0" % c.name)
    fresh.client.update_from_provider_tree(ctx, tree)
    http.get("/resource_providers/%s" % c.child["pci_0000_86_00_0"], expect=404)
    assert len(http.get("/resource_providers?in_tree=%s" % c.uuid, "1.14")
               ["resource_providers"]) == 3


# ---------------------------------------------------------------------------------------------
# 2. Scheduler side: allocation candidates for a vGPU flavor
# ---------------------------------------------------------------------------------------------
def test_allocation_candidates_vgpu_flavor(nova, ctx):
    agg = new_uuid()
    c = Compute(nova, ctx, agg)
    off = Compute(nova, ctx, agg, disabled=True)   # excluded by root_required=!DISABLED

    spec = make_spec(ctx, {"resources:VGPU": "1"}, agg=agg)
    res_req, (alloc_reqs, summaries, version) = scheduler_query(nova, ctx, spec)
    assert version == "1.36"
    assert res_req.to_querystring() == (
        "limit=1000&member_of=in%%3A%s&resources=DISK_GB%%3A20%%2CMEMORY_MB%%3A2048%%2C"
        "VCPU%%3A2%%2CVGPU%%3A1&root_required=%%21COMPUTE_STATUS_DISABLED" % agg)
    assert alloc_reqs is not None, nova.explain()
    assert sorted((normalise_request(a) for a in alloc_reqs), key=key) == \
        candidates(c, ["pci_0000_84_00_0", "pci_0000_85_00_0", "pci_0000_86_00_0"])
    assert normalise_summaries(summaries) == summary(c)
    assert off.uuid not in summaries
    # The scheduler claims the first candidate indexed under the host's root provider.
    assert len(by_root(alloc_reqs, summaries)[c.uuid]) == 3

    # Granular: resources1:VGPU=1 + trait1:CUSTOM_NVIDIA_A40_4Q -> only the 4Q pGPUs.
    spec = make_spec(ctx, {"resources1:VGPU": "1",
                           "trait1:CUSTOM_NVIDIA_A40_4Q": "required"}, agg=agg)
    res_req, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, spec)
    assert res_req.to_querystring() == (
        "limit=1000&member_of=in%%3A%s&required1=CUSTOM_NVIDIA_A40_4Q"
        "&resources=DISK_GB%%3A20%%2CMEMORY_MB%%3A2048%%2CVCPU%%3A2&resources1=VGPU%%3A1"
        "&root_required=%%21COMPUTE_STATUS_DISABLED" % agg)
    assert alloc_reqs is not None, nova.explain()
    assert sorted((normalise_request(a) for a in alloc_reqs), key=key) == \
        candidates(c, ["pci_0000_84_00_0", "pci_0000_86_00_0"], group="1")
    assert normalise_summaries(summaries) == summary(c)

    # Unsuffixed trait: the trait must be on a provider of the allocation request.
    spec = make_spec(ctx, {"resources:VGPU": "1",
                           "trait:CUSTOM_NVIDIA_A40_2Q": "required"}, agg=agg)
    _, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, spec)
    assert sorted((normalise_request(a) for a in alloc_reqs), key=key) == \
        candidates(c, ["pci_0000_85_00_0"])
    assert normalise_summaries(summaries) == summary(c)

    # More vGPUs than a 4-slot pGPU's max_unit: only the 8-slot pGPU fits.
    spec = make_spec(ctx, {"resources:VGPU": "6"}, agg=agg)
    _, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, spec)
    assert sorted((normalise_request(a) for a in alloc_reqs), key=key) == \
        candidates(c, ["pci_0000_85_00_0"], vgpu=6)

    # Two isolated VGPU groups: every ordered pair of distinct pGPUs.
    spec = make_spec(ctx, {"resources1:VGPU": "1", "resources2:VGPU": "1",
                           "group_policy": "isolate"}, agg=agg)
    res_req, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, spec)
    assert "group_policy=isolate" in res_req.to_querystring()
    got = sorted((tuple(a["mappings"]["1"]), tuple(a["mappings"]["2"])) for a in alloc_reqs)
    devs = [c.child[d] for d, _, _ in PGPUS]
    assert got == sorted(((a,), (b,)) for a in devs for b in devs if a != b)
    for a in alloc_reqs:
        assert a["allocations"][c.uuid] == {"resources": flavor_resources()}
        assert a["mappings"][""] == [c.uuid]

    # Nothing fits: the scheduler gets an empty list (NoValidHost), not an error.
    spec = make_spec(ctx, {"resources1:VGPU": "9",
                           "trait1:CUSTOM_NVIDIA_A40_2Q": "required"}, agg=agg)
    _, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, spec)
    assert (alloc_reqs, summaries) == ([], {})
    # A trait nobody ever created: 400 "No such trait(s)", the client returns (None,)*3.
    spec = make_spec(ctx, {"resources1:VGPU": "1",
                           "trait1:" + register("CUSTOM_NVIDIA_A100_1G_" + new_token().upper()):
                           "required"},
                     agg=agg)
    _, answer = scheduler_query(nova, ctx, spec)
    assert answer == (None, None, None)
    status, text = nova.recorder.calls[-1][4:]
    assert status == 400 and "No such trait(s)" in text, text

    # The same flavor without the aggregate scoping (on a fresh server this is all there is);
    # restricted to this test's trees it is the same answer.
    spec = make_spec(ctx, {"resources1:VGPU": "1",
                           "trait1:CUSTOM_NVIDIA_A40_4Q": "required"})
    with TRANSCRIPT.paused():
        _, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, spec)
    mine = [a for a in alloc_reqs if c.uuid in a["allocations"]]
    assert sorted((normalise_request(a) for a in mine), key=key) == \
        candidates(c, ["pci_0000_84_00_0", "pci_0000_86_00_0"], group="1")
    assert not [a for a in alloc_reqs if off.uuid in a["allocations"]]


# ---------------------------------------------------------------------------------------------
# 3. Claim, read, move, delete
# ---------------------------------------------------------------------------------------------
def usages(http, u):
    return http.get("/resource_providers/%s/usages" % u)["usages"]


def test_claim_move_delete(nova, ctx, http):
    from nova import exception
    rc = nova.client
    project = register(new_uuid().replace("-", ""))   # quota counts below are per project
    agg = new_uuid()
    c = Compute(nova, ctx, agg)
    spec = make_spec(ctx, {"resources1:VGPU": "1",
                           "trait1:CUSTOM_NVIDIA_A40_4Q": "required"}, agg=agg)
    _, (alloc_reqs, summaries, version) = scheduler_query(nova, ctx, spec)
    # The scheduler claims the first candidate of the host it picked; which of the two 4Q
    # pGPUs comes first is the server's choice (upstream's order is not defined). Take the
    # 0000:84 one so that the calls below are the same on every server.
    host_reqs = by_root(alloc_reqs, summaries)[c.uuid]
    assert sorted(a["mappings"]["1"][0] for a in host_reqs) == \
        sorted([c.child["pci_0000_84_00_0"], c.child["pci_0000_86_00_0"]])
    first = next(a for a in host_reqs if a["mappings"]["1"] == [c.child["pci_0000_84_00_0"]])
    pgpu = first["mappings"]["1"][0]

    instance = new_uuid()
    mark = nova.recorder.mark()
    assert rc.claim_resources(ctx, instance, first, project, USER, version) is True
    put = [x for x in nova.recorder.since(mark) if x[0] == "PUT"]
    assert len(put) == 1 and put[0][2] == "1.36" and put[0][4] == 204
    assert put[0][3]["mappings"] == first["mappings"]
    assert put[0][3]["consumer_generation"] is None

    gens = {u: http.get("/resource_providers/%s" % u, "1.14")["generation"]
            for u in c.uuids()}
    allocs = rc.get_allocs_for_consumer(ctx, instance)
    assert allocs == {
        "allocations": {
            c.uuid: {"generation": gens[c.uuid], "resources": flavor_resources()},
            pgpu: {"generation": gens[pgpu], "resources": {"VGPU": 1}}},
        "consumer_generation": 1, "project_id": project, "user_id": USER}
    assert usages(http, pgpu) == {"VGPU": 1}
    assert usages(http, c.uuid) == flavor_resources()
    # Quota counting: GET /usages?project_id=&user_id= (1.9).
    assert rc.get_usages_counts_for_quota(ctx, project, USER) == \
        {"project": {"cores": 2, "ram": 2048}, "user": {"cores": 2, "ram": 2048}}
    assert rc.get_allocations_for_resource_provider(ctx, pgpu).allocations == \
        {instance: {"resources": {"VGPU": 1}}}

    # The candidates now show the usage.
    _, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, make_spec(
        ctx, {"resources1:VGPU": "1", "trait1:CUSTOM_NVIDIA_A40_4Q": "required"}, agg=agg))
    used = {(c.uuid, rc_): n for rc_, n in flavor_resources().items()}
    used[(pgpu, "VGPU")] = 1
    assert normalise_summaries(summaries) == summary(c, used)

    # Fill that pGPU (a forced-host claim, as the conductor builds it), then one more is refused
    # with a non-retryable error: claim_resources answers False.
    filler = new_uuid()
    full = {"allocations": {c.uuid: {"resources": {"VCPU": 1}}, pgpu: {"resources": {"VGPU": 3}}}}
    assert rc.claim_resources(ctx, filler, full, project, USER, "1.36") is True
    assert usages(http, pgpu) == {"VGPU": 4}
    extra = new_uuid()
    one_more = {"allocations": {pgpu: {"resources": {"VGPU": 1}}}}
    assert rc.claim_resources(ctx, extra, one_more, project, USER, "1.36") is False
    last = nova.recorder.calls[-1]
    assert (last[0], last[4]) == ("PUT", 409), nova.explain()
    assert usages(http, pgpu) == {"VGPU": 4}
    assert rc.get_allocs_for_consumer(ctx, extra) == {"allocations": {}}

    # A stale consumer generation: AllocationUpdateFailed ("consumer generation conflict").
    stale = copy.deepcopy(first)
    stale.pop("mappings")
    stale.update(project_id=project, user_id=USER, consumer_generation=0)
    with pytest.raises(exception.AllocationUpdateFailed):
        rc.put_allocations(ctx, instance, stale)
    # A new consumer that claims to exist already: same.
    stale["consumer_generation"] = 1
    with pytest.raises(exception.AllocationUpdateFailed):
        rc.put_allocations(ctx, new_uuid(), stale)

    # Resize / cold migrate: the conductor moves the instance's allocation to the migration.
    migration = new_uuid()
    assert rc.move_allocations(ctx, instance, migration) is True
    post = [x for x in nova.recorder.calls if x[0] == "POST"][-1]
    assert post[1] == "/allocations" and post[2] == "1.28" and post[4] == 204
    assert rc.get_allocs_for_consumer(ctx, instance) == {"allocations": {}}
    gens = {u: http.get("/resource_providers/%s" % u, "1.14")["generation"]
            for u in c.uuids()}
    assert rc.get_allocs_for_consumer(ctx, migration) == {
        "allocations": {
            c.uuid: {"generation": gens[c.uuid], "resources": flavor_resources()},
            pgpu: {"generation": gens[pgpu], "resources": {"VGPU": 1}}},
        "consumer_generation": 1, "project_id": project, "user_id": USER}
    assert usages(http, pgpu) == {"VGPU": 4}
    # Moving again finds the target already holding them and the source empty: True, no POST.
    mark = nova.recorder.mark()
    assert rc.move_allocations(ctx, instance, migration) is True
    assert [x for x in nova.recorder.since(mark) if x[0] != "GET"] == []

    # Revert: back from the migration to the instance.
    assert rc.move_allocations(ctx, migration, instance) is True
    back = rc.get_allocs_for_consumer(ctx, instance)
    assert back["allocations"].keys() == {c.uuid, pgpu}
    assert back["consumer_generation"] == 1
    assert rc.get_allocs_for_consumer(ctx, migration) == {"allocations": {}}

    # Evacuation-style doubled allocation: claim on top of existing allocations merges them.
    double = {"allocations": {c.child["pci_0000_85_00_0"]: {"resources": {"VGPU": 1}}}}
    assert rc.claim_resources(ctx, instance, double, project, USER, "1.36") is True
    doubled = rc.get_allocs_for_consumer(ctx, instance)
    assert {u: a["resources"] for u, a in doubled["allocations"].items()} == {
        c.uuid: flavor_resources(), pgpu: {"VGPU": 1},
        c.child["pci_0000_85_00_0"]: {"VGPU": 1}}
    assert doubled["consumer_generation"] == 2

    # Delete: GET + PUT {"allocations": {}} at 1.28; a second delete finds nothing.
    mark = nova.recorder.mark()
    assert rc.delete_allocation_for_instance(ctx, instance) is True
    calls = nova.recorder.since(mark)
    assert [(m, v, s) for m, _, v, _, s, _ in calls] == [("GET", "1.28", 200),
                                                        ("PUT", "1.28", 204)]
    assert rc.delete_allocation_for_instance(ctx, instance) is False
    # force=True sends DELETE /allocations/{uuid}: 204 then 404 (False).
    assert rc.delete_allocation_for_instance(ctx, filler, force=True) is True
    assert rc.delete_allocation_for_instance(ctx, filler, force=True) is False
    assert nova.recorder.calls[-1][0::4] == ("DELETE", 404)
    for u in c.uuids():
        assert set(usages(http, u).values()) == {0}, u
    assert rc.get_allocations_for_resource_provider(ctx, pgpu).allocations == {}


# ---------------------------------------------------------------------------------------------
# 4. Reshape: pre-Stein VGPU inventory on the root moves to pGPU children
# ---------------------------------------------------------------------------------------------
class FakeLibvirtDriver:
    """The libvirt driver's own VGPU reshape code (_update_provider_tree_for_vgpu and helpers)
    with only the host lookups (sysfs/libvirt) replaced by fixed data."""

    def __new__(cls, inventories, mdevs):
        from nova.virt.libvirt import driver as libvirt_driver

        class Driver(libvirt_driver.LibvirtDriver):
            def __init__(self):   # no libvirt connection
                self.mdev_class_mapping = collections.defaultdict(lambda: "VGPU")
                self.mdev_classes = {"VGPU"}

            def _get_gpu_inventories(self):
                return copy.deepcopy(inventories)

            def _get_all_assigned_mediated_devices(self, instance=None):
                return {m: inst for m, (inst, _) in mdevs.items()
                        if instance is None or inst == instance.uuid}

            def _get_mediated_device_information(self, devname):
                from nova.virt.libvirt import utils as libvirt_utils
                for m, (_, parent) in mdevs.items():
                    if libvirt_utils.mdev_uuid2name(m) == devname:
                        return {"dev_id": devname, "uuid": m, "parent": parent,
                                "type": "nvidia-558", "iommu_group": 1}
                raise AssertionError("unknown mdev %s" % devname)

        return Driver()


def test_reshape_vgpu_root_to_children(nova, ctx, http):
    from nova import exception
    rc = nova.client
    name = "compute-%s.maas" % new_token()
    root = new_uuid()
    agg = new_uuid()
    # Pre-Stein: VGPU inventory on the root provider, with allocations against it.
    tree = rc.get_provider_tree_and_ensure_root(ctx, root, name=name)
    inv = root_inventory()
    inv["VGPU"] = vgpu_inventory(8)
    tree.update_inventory(name, inv)
    tree.update_traits(name, ROOT_TRAITS)
    tree.update_aggregates(name, [agg])
    rc.update_from_provider_tree(ctx, tree)
    inst1, inst2, idle = new_uuid(), new_uuid(), new_uuid()
    res1 = dict(flavor_resources(), VGPU=1)
    res2 = {"VCPU": 4, "MEMORY_MB": 4096, "DISK_GB": 40, "VGPU": 2}
    assert rc.claim_resources(ctx, inst1, {"allocations": {root: {"resources": res1}}},
                              PROJECT, USER, "1.36")
    assert rc.claim_resources(ctx, inst2, {"allocations": {root: {"resources": res2}}},
                              PROJECT, USER, "1.36")
    assert rc.claim_resources(ctx, idle, {"allocations": {root: {"resources": {"VCPU": 1}}}},
                              PROJECT, USER, "1.36")
    assert usages(http, root)["VGPU"] == 3

    # nova-compute restarts (empty cache): ResourceTracker._update_to_placement(startup=True).
    compute = NovaPlacement(nova.url)
    rc2 = compute.client
    driver = FakeLibvirtDriver(
        {"pci_0000_84_00_0": vgpu_inventory(4), "pci_0000_85_00_0": vgpu_inventory(4)},
        {new_uuid(): (inst1, "pci_0000_84_00_0"),
         new_uuid(): (inst2, "pci_0000_85_00_0"),
         new_uuid(): (inst2, "pci_0000_85_00_0")})
    prov_tree = rc2.get_provider_tree_and_ensure_root(ctx, root, name=name)
    with pytest.raises(exception.ReshapeNeeded):
        driver._update_provider_tree_for_vgpu(prov_tree, name)
    allocs = rc2.get_allocations_for_provider_tree(ctx, name)
    assert set(allocs) == {inst1, inst2, idle}
    driver._update_provider_tree_for_vgpu(prov_tree, name, allocations=allocs)
    mark = compute.recorder.mark()
    rc2.update_from_provider_tree(ctx, prov_tree, allocations=allocs)
    calls = compute.recorder.since(mark)
    reshape = [x for x in calls if x[1] == "/reshaper"]
    assert len(reshape) == 1 and reshape[0][2] == "1.30" and reshape[0][4] == 204, \
        compute.explain()
    created = [x for x in calls if x[0] == "POST" and x[1] == "/resource_providers"]
    assert [x[4] for x in created] == [200, 200]

    c84 = register(prov_tree.data("%s_pci_0000_84_00_0" % name).uuid)
    c85 = register(prov_tree.data("%s_pci_0000_85_00_0" % name).uuid)
    assert http.get("/resource_providers/%s/inventories" % root)["inventories"] == \
        root_inventory()
    for u in (c84, c85):
        assert http.get("/resource_providers/%s/inventories" % u)["inventories"] == \
            {"VGPU": vgpu_inventory(4)}
        rp = http.get("/resource_providers/%s" % u, "1.14")
        assert (rp["parent_provider_uuid"], rp["root_provider_uuid"]) == (root, root)
    got = {k: {u: a["resources"] for u, a in rc2.get_allocs_for_consumer(ctx, k)
               ["allocations"].items()} for k in (inst1, inst2, idle)}
    assert got == {
        inst1: {root: flavor_resources(), c84: {"VGPU": 1}},
        inst2: {root: {"VCPU": 4, "MEMORY_MB": 4096, "DISK_GB": 40}, c85: {"VGPU": 2}},
        idle: {root: {"VCPU": 1}}}
    # Each consumer's allocations were rewritten once by the reshape.
    assert rc2.get_allocs_for_consumer(ctx, inst1)["consumer_generation"] == 2
    assert rc2.get_allocs_for_consumer(ctx, inst2)["consumer_generation"] == 2
    assert usages(http, c84) == {"VGPU": 1}
    assert usages(http, c85) == {"VGPU": 2}
    assert usages(http, root) == {"VCPU": 7, "MEMORY_MB": 6144, "DISK_GB": 60}
    # The client refreshed its cached generations after the reshape: they match the server,
    # and the next periodic update writes without conflict.
    for u in (root, c84, c85):
        assert rc2._provider_tree.data(u).generation == \
            http.get("/resource_providers/%s" % u, "1.14")["generation"], u
    driver._update_provider_tree_for_vgpu(prov_tree, name)   # no reshape needed any more
    prov_tree.update_traits("%s_pci_0000_84_00_0" % name, ["CUSTOM_NVIDIA_A40_4Q"])
    rc2.update_from_provider_tree(ctx, prov_tree)
    assert http.get("/resource_providers/%s/traits" % c84, "1.6")["traits"] == \
        ["CUSTOM_NVIDIA_A40_4Q"]

    # The moved allocations are what the scheduler now sees.
    _, (alloc_reqs, summaries, _) = scheduler_query(nova, ctx, make_spec(
        ctx, {"resources1:VGPU": "1", "trait1:CUSTOM_NVIDIA_A40_4Q": "required"}, agg=agg))
    assert [a["mappings"]["1"] for a in alloc_reqs] == [[c84]]
    assert summaries[c84]["resources"] == {"VGPU": {"capacity": 4, "used": 1}}
    assert summaries[c85]["resources"] == {"VGPU": {"capacity": 4, "used": 2}}

    # A reshape from a stale cache (generations moved on by a claim) is refused with
    # placement.concurrent_update -> PlacementReshapeConflict, and nothing changes.
    stale_tree = rc2.get_provider_tree_and_ensure_root(ctx, root, name=name)
    other = new_uuid()
    assert rc.claim_resources(ctx, other, {"allocations": {c85: {"resources": {"VGPU": 1}}}},
                              PROJECT, USER, "1.36")
    allocs = rc2.get_allocations_for_provider_tree(ctx, name)
    allocs[inst1]["allocations"][c85] = allocs[inst1]["allocations"].pop(c84)
    with pytest.raises(exception.PlacementReshapeConflict):
        rc2.update_from_provider_tree(ctx, stale_tree, allocations=allocs)
    refused = [x for x in compute.recorder.calls if x[1] == "/reshaper"][-1]
    assert refused[4] == 409 and "placement.concurrent_update" in refused[5], refused
    assert usages(http, c84) == {"VGPU": 1}

    # Clean up: the conflict emptied rc2's cache; read the tree again.
    rc2.get_provider_tree_and_ensure_root(ctx, root, name=name)
    assert set(rc2.get_allocations_for_provider_tree(ctx, name)) == {inst1, inst2, idle, other}
    for k in (inst1, inst2, idle, other):
        assert rc2.delete_allocation_for_instance(ctx, k) is True


# ---------------------------------------------------------------------------------------------
# 5. The client built from nova.conf alone (openstacksdk, version discovery)
# ---------------------------------------------------------------------------------------------
class SdkPlacement:
    """SchedulerReportClient() with [placement] auth_type=admin_token: Nova's default path,
    utils.get_sdk_adapter -> openstacksdk Proxy, which discovers the API version first."""

    def __init__(self, conf, url):
        from keystoneauth1 import loading as ks_loading
        from keystoneauth1 import session as ks_session
        from conftest import TOKEN, Recorder
        from nova.scheduler.client import report
        self.recorder = Recorder()
        self.conf = conf
        conf.register_opts(ks_loading.get_auth_plugin_conf_options("admin_token"),
                           group="placement")
        conf.set_override("auth_type", "admin_token", group="placement")
        conf.set_override("endpoint", url, group="placement")
        conf.set_override("token", TOKEN, group="placement")
        recorder = self.recorder
        self._orig = orig = ks_session.Session.request

        def request(sess, url_, method, **kwargs):
            resp = orig(sess, url_, method, **kwargs)
            recorder.add(method, url_, (kwargs.get("headers") or {}).get(
                "OpenStack-API-Version"), kwargs.get("json"), resp)
            return resp

        ks_session.Session.request = request
        self.client = report.SchedulerReportClient()

    def close(self):
        from keystoneauth1 import session as ks_session
        ks_session.Session.request = self._orig
        for opt in ("auth_type", "endpoint", "token"):
            self.conf.clear_override(opt, group="placement")

    def explain(self):
        return "calls (last 40):\n" + self.recorder.dump()


@pytest.fixture
def nova_sdk(placement_url, nova_env):
    sdk = SdkPlacement(nova_env, placement_url)
    try:
        yield sdk
    finally:
        sdk.close()


def test_sdk_config_path(nova_sdk, ctx, http):
    rc = nova_sdk.client
    assert type(rc._client).__module__.startswith("openstack")
    c = Compute(nova_sdk, ctx, new_uuid())
    urls = [(m, u) for m, u, _, _, _, _ in nova_sdk.recorder.calls]
    # Version discovery: a GET of the endpoint's root before the first API call.
    first_api = next(i for i, (m, u) in enumerate(urls) if "/resource_providers" in u)
    assert any(m == "GET" and u.rstrip("/") == nova_sdk.conf.placement.endpoint.rstrip("/")
               for m, u in urls[:first_api]), nova_sdk.explain()
    assert all(200 <= s < 300 for _, _, _, _, s, _ in nova_sdk.recorder.calls[first_api:]), \
        nova_sdk.explain()
    assert sorted(p["uuid"] for p in rc.get_providers_in_tree(ctx, c.uuid)) == sorted(c.uuids())

    spec = make_spec(ctx, {"resources1:VGPU": "1",
                           "trait1:CUSTOM_NVIDIA_A40_4Q": "required"}, agg=c.agg)
    _, (alloc_reqs, summaries, version) = scheduler_query(nova_sdk, ctx, spec)
    assert sorted((normalise_request(a) for a in alloc_reqs), key=key) == \
        candidates(c, ["pci_0000_84_00_0", "pci_0000_86_00_0"], group="1")
    instance = new_uuid()
    first = next(a for a in alloc_reqs   # see test_claim_move_delete
                 if a["mappings"]["1"] == [c.child["pci_0000_84_00_0"]])
    assert rc.claim_resources(ctx, instance, first, PROJECT, USER, version) is True
    assert rc.get_allocs_for_consumer(ctx, instance)["consumer_generation"] == 1
    assert rc.delete_allocation_for_instance(ctx, instance) is True
    assert rc.get_allocs_for_consumer(ctx, instance) == {"allocations": {}}
