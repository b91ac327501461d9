"""/resource_providers/{uuid}/inventories and .../inventories/{resource_class}."""
import json

import pytest

from placement_client import CONCURRENT_UPDATE, assert_error, new_uuid

MAX_INT = 2147483647
DEFAULTS = {"reserved": 0, "min_unit": 1, "max_unit": MAX_INT, "step_size": 1, "allocation_ratio": 1.0}


def inv_path(rp, rc=None):
    path = "/resource_providers/%s/inventories" % rp["uuid"]
    return path + "/" + rc if rc else path


def generation(client, rp):
    return client.get("/resource_providers/" + rp["uuid"]).json()["generation"]


@pytest.fixture
def stocked(client, provider):
    """A provider with VCPU and DISK_GB inventory (generation 1)."""
    client.set_inventories(provider["uuid"], {
        "VCPU": {"total": 32, "allocation_ratio": 4.0, "max_unit": 16},
        "DISK_GB": {"total": 1000, "reserved": 100, "min_unit": 10, "max_unit": 500, "step_size": 10},
    })
    return provider


# --- happy paths ---------------------------------------------------------------------------------
def test_empty_inventories(client, provider):
    resp = client.get(inv_path(provider))
    assert resp.status == 200, resp
    assert resp.json() == {"resource_provider_generation": 0, "inventories": {}}


def test_put_all_then_read_back_with_defaults(client, provider):
    resp = client.put(inv_path(provider), json={
        "resource_provider_generation": 0,
        "inventories": {"VCPU": {"total": 8}, "MEMORY_MB": {"total": 4096, "reserved": 512,
                                                             "allocation_ratio": 1.5}}})
    assert resp.status == 200, resp
    body = resp.json()
    assert body["resource_provider_generation"] == 1
    assert body["inventories"]["VCPU"] == dict(DEFAULTS, total=8)
    assert body["inventories"]["MEMORY_MB"] == dict(DEFAULTS, total=4096, reserved=512, allocation_ratio=1.5)
    assert client.get(inv_path(provider)).json() == body
    one = client.get(inv_path(provider, "VCPU"))
    assert one.status == 200
    assert one.json() == dict(DEFAULTS, total=8, resource_provider_generation=1)
    assert generation(client, provider) == 1


def test_put_all_replaces_and_removes(client, stocked):
    resp = client.put(inv_path(stocked), json={"resource_provider_generation": 1,
                                               "inventories": {"MEMORY_MB": {"total": 1024}}})
    assert resp.status == 200, resp
    assert set(resp.json()["inventories"]) == {"MEMORY_MB"}
    assert resp.json()["resource_provider_generation"] == 2
    assert client.get(inv_path(stocked, "VCPU")).status == 404


def test_put_one_updates(client, stocked):
    resp = client.put(inv_path(stocked, "VCPU"), json={"resource_provider_generation": 1, "total": 64,
                                                       "reserved": 2})
    assert resp.status == 200, resp
    assert resp.json() == dict(DEFAULTS, total=64, reserved=2, resource_provider_generation=2)
    # DISK_GB untouched
    disk = client.get(inv_path(stocked, "DISK_GB")).json()
    assert disk["total"] == 1000 and disk["step_size"] == 10


def test_post_one_creates(client, provider):
    resp = client.post(inv_path(provider), json={"resource_class": "DISK_GB", "total": 100,
                                                 "reserved": 10, "step_size": 5})
    assert resp.status == 201, resp
    assert resp.header("location").endswith(inv_path(provider, "DISK_GB"))
    assert resp.json() == dict(DEFAULTS, total=100, reserved=10, step_size=5, resource_provider_generation=1)
    assert generation(client, provider) == 1


def test_custom_class_inventory(client, provider):
    rc = client.create_resource_class()
    client.set_inventories(provider["uuid"], {rc: {"total": 3}})
    assert client.get(inv_path(provider, rc)).json()["total"] == 3


def test_delete_one(client, stocked):
    resp = client.delete(inv_path(stocked, "VCPU"))
    assert resp.status == 204, resp
    assert resp.body == b""
    assert set(client.get(inv_path(stocked)).json()["inventories"]) == {"DISK_GB"}
    assert generation(client, stocked) == 2


def test_delete_all_from_1_5(client, stocked):
    if not client.supports("1.5"):
        return
    resp = client.delete(inv_path(stocked), version="1.5")
    assert resp.status == 204, resp
    assert client.get(inv_path(stocked)).json() == {"resource_provider_generation": 2, "inventories": {}}


def test_reserved_equal_total_from_1_26(client, provider):
    if not client.supports("1.26"):
        return
    resp = client.put(inv_path(provider), version="1.26", json={
        "resource_provider_generation": 0, "inventories": {"VCPU": {"total": 4, "reserved": 4}}})
    assert resp.status == 200, resp


def test_boundary_values_are_accepted(client, provider):
    resp = client.put(inv_path(provider), json={"resource_provider_generation": 0, "inventories": {
        "VCPU": {"total": MAX_INT, "reserved": MAX_INT - 1, "min_unit": MAX_INT, "max_unit": MAX_INT,
                 "step_size": MAX_INT, "allocation_ratio": 1},
        "DISK_GB": {"total": 1, "allocation_ratio": 3.4e38}}})
    assert resp.status == 200, resp
    assert resp.json()["inventories"]["VCPU"]["total"] == MAX_INT


# --- bad input: PUT all ------------------------------------------------------------------------
BAD_PUT_ALL = [
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": }}', "Malformed JSON", id="malformed-json"),
    pytest.param('', "Malformed JSON", id="empty-body"),
    pytest.param('[]', "JSON does not validate", id="array"),
    pytest.param('{"inventories": {"VCPU": {"total": 1}}}', "JSON does not validate", id="missing-generation"),
    pytest.param('{"resource_provider_generation": 1}', "JSON does not validate", id="missing-inventories"),
    pytest.param('{"resource_provider_generation": "1", "inventories": {}}', "JSON does not validate", id="generation-string"),
    pytest.param('{"resource_provider_generation": 1, "inventories": []}', "JSON does not validate", id="inventories-array"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {}, "x": 1}', "JSON does not validate", id="unknown-top-field"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 1, "colour": "red"}}}', "JSON does not validate", id="unknown-inventory-field"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {}}}', "JSON does not validate", id="missing-total"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 0}}}', "JSON does not validate", id="total-zero"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": -1}}}', "JSON does not validate", id="total-negative"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 2147483648}}}', "JSON does not validate", id="total-above-max"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": "8"}}}', "JSON does not validate", id="total-string"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8.5}}}', "JSON does not validate", id="total-float"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": null}}}', "JSON does not validate", id="total-null"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "reserved": -1}}}', "JSON does not validate", id="reserved-negative"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "min_unit": 0}}}', "JSON does not validate", id="min_unit-zero"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "max_unit": 0}}}', "JSON does not validate", id="max_unit-zero"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "step_size": 0}}}', "JSON does not validate", id="step_size-zero"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "max_unit": 2147483648}}}', "JSON does not validate", id="max_unit-above-max"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "allocation_ratio": "2"}}}', "JSON does not validate", id="ratio-string"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "allocation_ratio": 3.5e38}}}', "JSON does not validate", id="ratio-above-float-max"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "reserved": 9}}}', "Unable to update inventory for resource provider", id="reserved-above-total"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"VCPU": {"total": 8, "allocation_ratio": -1.0}}}', "Unable to update inventory for resource provider", id="ratio-negative"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"CUSTOM_NO_SUCH_CLASS_XYZ": {"total": 1}}}', "Unknown resource class in inventory", id="unknown-class"),
    pytest.param('{"resource_provider_generation": 1, "inventories": {"vcpu": {"total": 1}}}', "resource class", id="lowercase-class"),
]


@pytest.mark.parametrize("body,detail", BAD_PUT_ALL)
def test_put_all_bad_body_is_400(client, stocked, body, detail):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked), body=body, content_type="application/json")
    assert_error(resp, 400, detail=detail)
    assert client.provider_state(stocked["uuid"]) == before


def test_put_all_reserved_equal_total_before_1_26_is_400(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked), version=client.capped("1.25"), json={
        "resource_provider_generation": 1, "inventories": {"VCPU": {"total": 4, "reserved": 4}}})
    assert_error(resp, 400, detail="Unable to update inventory for resource provider")
    assert client.provider_state(stocked["uuid"]) == before


@pytest.mark.parametrize("gen", [0, 2, 99])
def test_put_all_wrong_generation_is_409(client, stocked, gen):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked), json={"resource_provider_generation": gen,
                                               "inventories": {"VCPU": {"total": 1}}})
    assert_error(resp, 409, code=CONCURRENT_UPDATE, detail="resource provider generation conflict")
    assert client.provider_state(stocked["uuid"]) == before


def test_put_all_second_writer_with_same_generation_is_409(client, provider):
    body = {"resource_provider_generation": 0, "inventories": {"VCPU": {"total": 1}}}
    assert client.put(inv_path(provider), json=body).status == 200
    before = client.provider_state(provider["uuid"])
    body["inventories"]["VCPU"]["total"] = 2
    assert_error(client.put(inv_path(provider), json=body), 409, code=CONCURRENT_UPDATE)
    assert client.provider_state(provider["uuid"]) == before


def test_put_all_missing_provider_is_404(client):
    missing = new_uuid()
    resp = client.put("/resource_providers/%s/inventories" % missing,
                      json={"resource_provider_generation": 0, "inventories": {}})
    assert_error(resp, 404)
    assert client.get("/resource_providers/" + missing).status == 404


def test_put_all_wrong_content_type_is_415(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked), body=json.dumps({"resource_provider_generation": 1, "inventories": {}}),
                      content_type="text/plain")
    assert_error(resp, 415)
    assert client.provider_state(stocked["uuid"]) == before


# --- bad input: PUT one ------------------------------------------------------------------------
BAD_PUT_ONE = [
    pytest.param('{"resource_provider_generation": 1, "total": }', "Malformed JSON", id="malformed-json"),
    pytest.param('{"total": 8}', "JSON does not validate", id="missing-generation"),
    pytest.param('{"resource_provider_generation": 1}', "JSON does not validate", id="missing-total"),
    pytest.param('{"resource_provider_generation": 1, "total": 8, "resource_class": "VCPU"}', "JSON does not validate", id="resource_class-field"),
    pytest.param('{"resource_provider_generation": 1, "total": 8, "extra": true}', "JSON does not validate", id="unknown-field"),
    pytest.param('{"resource_provider_generation": 1, "total": "many"}', "JSON does not validate", id="total-string"),
    pytest.param('{"resource_provider_generation": 1, "total": 0}', "JSON does not validate", id="total-zero"),
    pytest.param('{"resource_provider_generation": 1, "total": 8, "step_size": -3}', "JSON does not validate", id="step-negative"),
    pytest.param('{"resource_provider_generation": 1, "total": 8, "reserved": 2147483648}', "JSON does not validate", id="reserved-above-max"),
    pytest.param('{"resource_provider_generation": 1, "total": 8, "reserved": 10}', "Unable to update inventory for resource provider", id="reserved-above-total"),
]


@pytest.mark.parametrize("body,detail", BAD_PUT_ONE)
def test_put_one_bad_body_is_400(client, stocked, body, detail):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked, "VCPU"), body=body, content_type="application/json")
    assert_error(resp, 400, detail=detail)
    assert client.provider_state(stocked["uuid"]) == before


def test_put_one_class_not_in_inventory_is_400(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked, "MEMORY_MB"), json={"resource_provider_generation": 1, "total": 8})
    assert_error(resp, 400, detail="No inventory record with resource class for resource provider %s" % stocked["uuid"])
    assert client.provider_state(stocked["uuid"]) == before


def test_put_one_wrong_generation_is_409(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked, "VCPU"), json={"resource_provider_generation": 0, "total": 8})
    assert_error(resp, 409, code=CONCURRENT_UPDATE, detail="resource provider generation conflict")
    assert client.provider_state(stocked["uuid"]) == before


def test_put_one_missing_provider_is_404(client):
    resp = client.put("/resource_providers/%s/inventories/VCPU" % new_uuid(),
                      json={"resource_provider_generation": 0, "total": 8})
    assert_error(resp, 404)


def test_put_one_wrong_content_type_is_415(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.put(inv_path(stocked, "VCPU"), body='{"resource_provider_generation": 1, "total": 8}',
                      content_type="application/x-www-form-urlencoded")
    assert_error(resp, 415)
    assert client.provider_state(stocked["uuid"]) == before


# --- bad input: POST one -----------------------------------------------------------------------
BAD_POST_ONE = [
    pytest.param('{"resource_class": "MEMORY_MB", ', "Malformed JSON", id="malformed-json"),
    pytest.param('{"total": 8}', "JSON does not validate", id="missing-class"),
    pytest.param('{"resource_class": "MEMORY_MB"}', "JSON does not validate", id="missing-total"),
    pytest.param('{"resource_class": "memory_mb", "total": 8}', "JSON does not validate", id="class-pattern"),
    pytest.param('{"resource_class": 7, "total": 8}', "JSON does not validate", id="class-not-string"),
    pytest.param('{"resource_class": "MEMORY_MB", "total": -1}', "JSON does not validate", id="total-negative"),
    pytest.param('{"resource_class": "MEMORY_MB", "total": 8, "foo": 1}', "JSON does not validate", id="unknown-field"),
    pytest.param('{"resource_class": "NO_CLASS_14", "total": 8}', "No such resource class NO_CLASS_14", id="unknown-class"),
    pytest.param('{"resource_class": "MEMORY_MB", "total": 8, "reserved": 9}', "Unable to create inventory for resource provider", id="reserved-above-total"),
]


@pytest.mark.parametrize("body,detail", BAD_POST_ONE)
def test_post_one_bad_body_is_400(client, stocked, body, detail):
    before = client.provider_state(stocked["uuid"])
    resp = client.post(inv_path(stocked), body=body, content_type="application/json")
    assert_error(resp, 400, detail=detail)
    assert client.provider_state(stocked["uuid"]) == before


def test_post_one_existing_class_is_409(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.post(inv_path(stocked), json={"resource_class": "VCPU", "total": 8})
    assert_error(resp, 409, code=CONCURRENT_UPDATE, detail="Update conflict")
    assert client.provider_state(stocked["uuid"]) == before


def test_post_one_missing_provider_is_404(client):
    resp = client.post("/resource_providers/%s/inventories" % new_uuid(),
                       json={"resource_class": "VCPU", "total": 8})
    assert_error(resp, 404)


def test_post_one_wrong_content_type_is_415(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.post(inv_path(stocked), body='{"resource_class": "MEMORY_MB", "total": 8}', content_type="text/plain")
    assert_error(resp, 415)
    assert client.provider_state(stocked["uuid"]) == before


# --- bad input: GET / DELETE -------------------------------------------------------------------
@pytest.mark.parametrize("rc", ["MEMORY_MB", "HOUSE", "CUSTOM_NOT_THERE_AT_ALL"])
def test_get_one_absent_class_is_404(client, stocked, rc):
    resp = client.get(inv_path(stocked, rc))
    assert_error(resp, 404, detail="No inventory of class %s for %s" % (rc, stocked["uuid"]))


@pytest.mark.parametrize("sub", ["", "/VCPU"])
def test_get_missing_provider_is_404(client, sub):
    missing = new_uuid()
    resp = client.get("/resource_providers/%s/inventories%s" % (missing, sub))
    assert_error(resp, 404, detail="No resource provider with uuid %s found" % missing)


def test_delete_one_absent_class_is_404(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.delete(inv_path(stocked, "MEMORY_MB"))
    assert_error(resp, 404, detail="No inventory of class MEMORY_MB found for delete")
    assert client.provider_state(stocked["uuid"]) == before


def test_delete_one_missing_provider_is_404(client):
    assert_error(client.delete("/resource_providers/%s/inventories/VCPU" % new_uuid()), 404)


def test_delete_all_before_1_5_is_405(client, stocked):
    before = client.provider_state(stocked["uuid"])
    resp = client.delete(inv_path(stocked), version="1.4")
    assert_error(resp, 405)
    assert client.provider_state(stocked["uuid"]) == before


def test_delete_all_missing_provider_is_404(client):
    if not client.supports("1.5"):
        return
    assert_error(client.delete("/resource_providers/%s/inventories" % new_uuid()), 404)
