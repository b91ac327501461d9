"""The resource-provider routes when the provider has usage: per-provider usages, and the
conflicts that usage causes (inventory and providers in use). Allocations are only the means."""
import pytest

from placement_client import (CONCURRENT_UPDATE, INVENTORY_INUSE, PROVIDER_INUSE, assert_error,
                              new_uuid)


@pytest.fixture
def used(client, provider):
    """A provider with VCPU 8 and DISK_GB 100, 2 VCPU and 10 DISK_GB allocated to one consumer."""
    client.set_inventories(provider["uuid"], {"VCPU": {"total": 8}, "DISK_GB": {"total": 100}})
    provider["consumer"] = client.allocate(new_uuid(), provider["uuid"], {"VCPU": 2, "DISK_GB": 10})
    return provider


def state(client, rp):
    return client.provider_state(rp["uuid"])


def test_usages_follow_allocations(client, used):
    resp = client.get("/resource_providers/%s/usages" % used["uuid"])
    assert resp.status == 200, resp
    body = resp.json()
    assert body["usages"] == {"VCPU": 2, "DISK_GB": 10}
    generation = client.get("/resource_providers/" + used["uuid"]).json()["generation"]
    assert body["resource_provider_generation"] == generation
    assert client.delete("/allocations/" + used["consumer"]).status == 204
    assert client.get("/resource_providers/%s/usages" % used["uuid"]).json()["usages"] == {"VCPU": 0, "DISK_GB": 0}


def test_usages_add_up_consumers(client, used):
    client.allocate(new_uuid(), used["uuid"], {"VCPU": 3})
    assert client.get("/resource_providers/%s/usages" % used["uuid"]).json()["usages"] == {"VCPU": 5, "DISK_GB": 10}


def test_delete_inventory_in_use_is_409(client, used):
    before = state(client, used)
    resp = client.delete("/resource_providers/%s/inventories/VCPU" % used["uuid"])
    assert_error(resp, 409, code=CONCURRENT_UPDATE, detail="Unable to delete inventory of class VCPU")
    assert state(client, used) == before


def test_replace_inventories_dropping_used_class_is_409(client, used):
    before = state(client, used)
    generation = before["/"][1]["generation"]
    resp = client.put("/resource_providers/%s/inventories" % used["uuid"],
                      json={"resource_provider_generation": generation, "inventories": {"DISK_GB": {"total": 100}}})
    assert_error(resp, 409, code=INVENTORY_INUSE, detail="update conflict")
    assert state(client, used) == before


def test_delete_all_inventories_in_use_is_409(client, used):
    if not client.supports("1.5"):
        return
    before = state(client, used)
    resp = client.delete("/resource_providers/%s/inventories" % used["uuid"])
    assert_error(resp, 409, code=INVENTORY_INUSE)
    assert state(client, used) == before


def test_delete_provider_in_use_is_409(client, used):
    before = state(client, used)
    resp = client.delete("/resource_providers/" + used["uuid"])
    assert_error(resp, 409, code=PROVIDER_INUSE, detail="Unable to delete resource provider %s" % used["uuid"])
    assert state(client, used) == before


def test_inventory_may_shrink_below_usage(client, used):
    # Placement accepts it (the provider is then over capacity) and keeps the allocations.
    generation = client.get("/resource_providers/" + used["uuid"]).json()["generation"]
    resp = client.put("/resource_providers/%s/inventories/VCPU" % used["uuid"],
                      json={"resource_provider_generation": generation, "total": 1})
    assert resp.status == 200, resp
    assert client.get("/resource_providers/%s/usages" % used["uuid"]).json()["usages"]["VCPU"] == 2
