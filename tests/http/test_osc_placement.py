"""A real peer: the `openstack` CLI with osc-placement (Debian python3-osc-placement,
/usr/bin/openstack from python3-openstackclient) drives the server without Keystone
(`--os-auth-type admin_token`), and every output is checked, then cross-checked over HTTP.

Microversion: the newest one osc-placement knows (its SUPPORTED_MICROVERSIONS) that the server
advertises; commands that need more than the server offers assert the server's 406 instead.
"""
import json
import os
import subprocess

import pytest

from placement_client import KNOWN_MAX_VERSION, custom_name, format_version, new_uuid, parse_version, unique_name

OPENSTACK = "/usr/bin/openstack"


def osc_versions():
    from osc_placement import version as osc_version
    return sorted((parse_version(v) for v in osc_version.SUPPORTED_MICROVERSIONS))


@pytest.fixture
def osc(server, client):
    if not os.access(OPENSTACK, os.X_OK):
        pytest.fail("%s missing: install python3-openstackclient and python3-osc-placement" % OPENSTACK)
    ceiling = min(client.max_version, KNOWN_MAX_VERSION)
    best = max(v for v in osc_versions() if v <= ceiling)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}

    class Osc:
        version = format_version(best)
        version_tuple = best

        def run(self, *args, version=None, fmt=True, ok=True):
            cmd = [OPENSTACK, "--os-auth-type", "admin_token", "--os-endpoint", server.url,
                   "--os-token", "admin", "--os-placement-api-version", version or self.version,
                   *args]
            if fmt:
                cmd += ["-f", "json"]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
            if ok:
                assert proc.returncode == 0, "%s\nstdout: %s\nstderr: %s" % (" ".join(cmd), proc.stdout, proc.stderr)
                return json.loads(proc.stdout) if fmt and proc.stdout.strip() else proc.stdout
            assert proc.returncode != 0, "%s unexpectedly succeeded: %s" % (" ".join(cmd), proc.stdout)
            return proc.stderr

        def needs(self, minimum):
            """osc-placement refuses commands below their microversion; the server must offer it."""
            return client.supports(minimum)

    return Osc()


def provider_fields(rp, osc):
    fields = {"uuid", "name", "generation"}
    if osc.version_tuple >= (1, 14):
        fields |= {"root_provider_uuid", "parent_provider_uuid"}
    return fields


def test_resource_provider_create_list_show_delete(osc, client):
    name, rp_uuid = unique_name("osc"), new_uuid()
    created = osc.run("resource", "provider", "create", name, "--uuid", rp_uuid)
    assert created["uuid"] == rp_uuid and created["name"] == name and created["generation"] == 0
    assert set(created) == provider_fields(created, osc)
    if osc.version_tuple >= (1, 14):
        assert created["parent_provider_uuid"] is None and created["root_provider_uuid"] == rp_uuid
    assert client.get("/resource_providers/" + rp_uuid).json()["name"] == name

    assert osc.run("resource", "provider", "show", rp_uuid) == created
    assert osc.run("resource", "provider", "list", "--name", name) == [created]

    if osc.needs("1.14"):
        child = osc.run("resource", "provider", "create", unique_name("osc-child"),
                        "--parent-provider", rp_uuid)
        assert child["parent_provider_uuid"] == rp_uuid and child["root_provider_uuid"] == rp_uuid
        tree = osc.run("resource", "provider", "list", "--in-tree", child["uuid"])
        assert sorted(p["uuid"] for p in tree) == sorted([rp_uuid, child["uuid"]])
        assert osc.run("resource", "provider", "delete", child["uuid"], fmt=False) == ""

    assert osc.run("resource", "provider", "delete", rp_uuid, fmt=False) == ""
    assert client.get("/resource_providers/" + rp_uuid).status == 404
    # osc-placement prints the last line of the error detail: our error body must carry it
    err = osc.run("resource", "provider", "show", rp_uuid, ok=False)
    assert "No resource provider with uuid %s found (HTTP 404)" % rp_uuid in err


def test_inventory_set_and_list(osc, client):
    rp = osc.run("resource", "provider", "create", unique_name("osc"))
    out = osc.run("resource", "provider", "inventory", "set", rp["uuid"],
                  "--resource", "VCPU=8", "--resource", "VCPU:allocation_ratio=4.0",
                  "--resource", "VCPU:max_unit=4",
                  "--resource", "MEMORY_MB=4096", "--resource", "MEMORY_MB:reserved=512",
                  "--resource", "DISK_GB=100", "--resource", "DISK_GB:step_size=10",
                  "--resource", "DISK_GB:min_unit=10")
    expected = {
        "VCPU": {"total": 8, "reserved": 0, "min_unit": 1, "max_unit": 4, "step_size": 1, "allocation_ratio": 4.0},
        "MEMORY_MB": {"total": 4096, "reserved": 512, "min_unit": 1, "max_unit": 2147483647, "step_size": 1,
                      "allocation_ratio": 1.0},
        "DISK_GB": {"total": 100, "reserved": 0, "min_unit": 10, "max_unit": 2147483647, "step_size": 10,
                    "allocation_ratio": 1.0},
    }
    assert {row.pop("resource_class"): row for row in out} == expected

    listed = osc.run("resource", "provider", "inventory", "list", rp["uuid"])
    by_class = {row.pop("resource_class"): row for row in listed}
    for rc in expected:
        assert by_class[rc].pop("used") == 0
    assert by_class == expected

    http = client.get("/resource_providers/%s/inventories" % rp["uuid"]).json()
    assert http["inventories"] == expected and http["resource_provider_generation"] == 1

    err = osc.run("resource", "provider", "inventory", "set", rp["uuid"],
                  "--resource", "CUSTOM_NOT_DEFINED_ANYWHERE=1", ok=False)
    assert "Unknown resource class in inventory" in err and "HTTP 400" in err
    http_after = client.get("/resource_providers/%s/inventories" % rp["uuid"]).json()
    assert http_after == http


def test_trait_create_list_and_provider_trait_set(osc, client):
    if not osc.needs("1.6"):
        return
    trait = custom_name("CUSTOM_OSC")
    assert osc.run("trait", "create", trait, fmt=False) == ""
    assert client.get("/traits/" + trait).status == 204
    listed = osc.run("trait", "list", "--name", "in:%s,HW_CPU_X86_AVX2" % trait)
    assert sorted(row["name"] for row in listed) == sorted([trait, "HW_CPU_X86_AVX2"])

    rp = osc.run("resource", "provider", "create", unique_name("osc"))
    out = osc.run("resource", "provider", "trait", "set", rp["uuid"],
                  "--trait", trait, "--trait", "HW_CPU_X86_AVX2")
    assert sorted(row["name"] for row in out) == sorted([trait, "HW_CPU_X86_AVX2"])
    http = client.get("/resource_providers/%s/traits" % rp["uuid"]).json()
    assert sorted(http["traits"]) == sorted([trait, "HW_CPU_X86_AVX2"])
    assert http["resource_provider_generation"] == 1

    err = osc.run("trait", "create", "custom_lowercase", fmt=False, ok=False)
    assert 'start with the prefix "CUSTOM_"' in err and "HTTP 400" in err


def test_resource_provider_aggregate_set(osc, client):
    rp = osc.run("resource", "provider", "create", unique_name("osc"))
    path = "/resource_providers/%s/aggregates" % rp["uuid"]
    # before 1.19: a plain list, no generation
    agg = new_uuid()
    out = osc.run("resource", "provider", "aggregate", "set", rp["uuid"], "--aggregate", agg, version="1.1")
    assert [row["uuid"] for row in out] == [agg]
    assert client.get(path).json()["aggregates"] == [agg]
    if not osc.needs("1.19"):
        return
    aggs = sorted([new_uuid(), new_uuid()])
    out = osc.run("resource", "provider", "aggregate", "set", rp["uuid"],
                  "--aggregate", aggs[0], "--aggregate", aggs[1], "--generation", "0")
    assert sorted(row["uuid"] for row in out) == aggs
    http = client.get(path).json()
    assert sorted(http["aggregates"]) == aggs and http["resource_provider_generation"] == 1

    err = osc.run("resource", "provider", "aggregate", "set", rp["uuid"],
                  "--aggregate", new_uuid(), "--generation", "0", ok=False)
    assert "generation already changed" in err and "HTTP 409" in err
    assert sorted(client.get(path).json()["aggregates"]) == aggs
