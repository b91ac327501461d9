"""/resource_classes and /resource_classes/{name}."""
import pytest

from placement_client import assert_error, custom_name

STANDARD_SAMPLE = ["VCPU", "MEMORY_MB", "DISK_GB", "PCI_DEVICE", "SRIOV_NET_VF", "VGPU",
                   "VGPU_DISPLAY_HEAD", "PGPU", "NET_BW_EGR_KILOBIT_PER_SEC", "PCPU", "MEM_ENCRYPTION_CONTEXT"]


def class_names(client):
    return client.list_names("/resource_classes", "resource_classes")


# --- happy paths -----------------------------------------------------------------------------
def test_list_has_every_standard_class_with_links(client):
    resp = client.get("/resource_classes")
    assert resp.status == 200, resp
    classes = {rc["name"]: rc for rc in resp.json()["resource_classes"]}
    for name in STANDARD_SAMPLE:
        assert name in classes, name
        assert classes[name]["links"] == [{"rel": "self", "href": "/resource_classes/" + name}]


def test_list_matches_os_resource_classes(client):
    import os_resource_classes
    names = set(class_names(client))
    assert set(os_resource_classes.STANDARDS) <= names
    assert all(n in os_resource_classes.STANDARDS or n.startswith("CUSTOM_") for n in names)


def test_show_standard_class(client):
    resp = client.get("/resource_classes/VCPU")
    assert resp.status == 200, resp
    assert resp.json() == {"name": "VCPU", "links": [{"rel": "self", "href": "/resource_classes/VCPU"}]}


def test_create_show_delete_custom_class(client):
    name = custom_name("CUSTOM_RC")
    resp = client.post("/resource_classes", json={"name": name})
    assert resp.status == 201, resp
    assert resp.body == b""
    assert resp.header("location").endswith("/resource_classes/" + name)
    shown = client.get("/resource_classes/" + name)
    assert shown.status == 200 and shown.json()["name"] == name
    assert name in class_names(client)
    resp = client.delete("/resource_classes/" + name)
    assert resp.status == 204, resp
    assert client.get("/resource_classes/" + name).status == 404
    assert name not in class_names(client)


def test_put_creates_from_1_7_then_204(client):
    if not client.supports("1.7"):
        return
    name = custom_name("CUSTOM_RC")
    resp = client.put("/resource_classes/" + name, version="1.7")
    assert resp.status == 201, resp
    assert resp.header("location").endswith("/resource_classes/" + name)
    resp = client.put("/resource_classes/" + name, version="1.7")
    assert resp.status == 204, resp
    assert name in class_names(client)


def test_put_renames_before_1_7(client):
    old, new = custom_name("CUSTOM_RC"), custom_name("CUSTOM_RC")
    client.post("/resource_classes", json={"name": old}, version="1.2")
    resp = client.put("/resource_classes/" + old, json={"name": new}, version=client.capped("1.6"))
    assert resp.status == 200, resp
    assert resp.json() == {"name": new, "links": [{"rel": "self", "href": "/resource_classes/" + new}]}
    names = class_names(client)
    assert new in names and old not in names


def test_not_there_before_1_2(client):
    assert_error(client.get("/resource_classes", version="1.1"), 404)
    assert_error(client.get("/resource_classes/VCPU", version="1.1"), 404)
    name = custom_name("CUSTOM_RC")
    assert_error(client.post("/resource_classes", json={"name": name}, version="1.1"), 404)
    assert name not in class_names(client)


# --- bad input ---------------------------------------------------------------------------------
BAD_CREATE = [
    pytest.param('{"name": }', "Malformed JSON", id="malformed-json"),
    pytest.param('', "Malformed JSON", id="empty-body"),
    pytest.param('{}', "JSON does not validate", id="missing-name"),
    pytest.param('{"name": "VCPU"}', "JSON does not validate", id="standard-name"),
    pytest.param('{"name": "FOO_BAR"}', "JSON does not validate", id="no-custom-prefix"),
    pytest.param('{"name": "CUSTOM_lower"}', "JSON does not validate", id="lowercase"),
    pytest.param('{"name": "CUSTOM_"}', "JSON does not validate", id="prefix-only"),
    pytest.param('{"name": "CUSTOM_A-B"}', "JSON does not validate", id="dash"),
    pytest.param('{"name": "CUSTOM_%s"}' % ("A" * 249), "JSON does not validate", id="256-chars"),
    pytest.param('{"name": 12}', "JSON does not validate", id="not-string"),
    pytest.param('{"name": "CUSTOM_OK", "extra": 1}', "JSON does not validate", id="unknown-field"),
    pytest.param('["CUSTOM_OK"]', "JSON does not validate", id="array"),
]


@pytest.mark.parametrize("body,detail", BAD_CREATE)
def test_create_bad_body_is_400(client, body, detail):
    before = class_names(client)
    resp = client.post("/resource_classes", body=body, content_type="application/json")
    assert_error(resp, 400, detail=detail)
    assert class_names(client) == before


def test_name_of_255_chars_is_accepted(client):
    name = ("CUSTOM_" + custom_name("X") + "A" * 255)[:255]
    resp = client.post("/resource_classes", json={"name": name})
    assert resp.status == 201, resp


def test_create_duplicate_is_409(client):
    name = client.create_resource_class()
    before = class_names(client)
    resp = client.post("/resource_classes", json={"name": name})
    assert_error(resp, 409, detail="Conflicting resource class already exists: %s" % name)
    assert class_names(client) == before


def test_create_wrong_content_type_is_415(client):
    name = custom_name("CUSTOM_RC")
    before = class_names(client)
    resp = client.post("/resource_classes", body='{"name": "%s"}' % name, content_type="text/plain")
    assert_error(resp, 415)
    assert class_names(client) == before


@pytest.mark.parametrize("name", ["VCPU", "lowercase", "CUSTOM_lower", "CUSTOM_" + "A" * 249])
def test_put_invalid_name_from_1_7_is_400(client, name):
    if not client.supports("1.7"):
        return
    before = class_names(client)
    resp = client.put("/resource_classes/" + name, version="1.7")
    assert_error(resp, 400, detail="JSON does not validate")
    assert class_names(client) == before


def test_rename_standard_before_1_7_is_400(client):
    before = class_names(client)
    resp = client.put("/resource_classes/VCPU", json={"name": custom_name("CUSTOM_RC")}, version=client.capped("1.6"))
    assert_error(resp, 400, detail="Cannot update standard resource class VCPU")
    assert class_names(client) == before


def test_rename_to_existing_before_1_7_is_409(client):
    a, b = client.create_resource_class(), client.create_resource_class()
    before = class_names(client)
    resp = client.put("/resource_classes/" + a, json={"name": b}, version=client.capped("1.6"))
    assert_error(resp, 409, detail="Resource class already exists: %s" % b)
    assert class_names(client) == before


def test_rename_bad_body_before_1_7_is_400(client):
    a = client.create_resource_class()
    before = class_names(client)
    for body in ('{"name": "NOT_CUSTOM"}', '{"name": "CUSTOM_X", "x": 1}', '{}', '{"name": '):
        resp = client.put("/resource_classes/" + a, body=body, content_type="application/json", version=client.capped("1.6"))
        assert_error(resp, 400)
    assert class_names(client) == before


def test_rename_missing_before_1_7_is_404(client):
    before = class_names(client)
    resp = client.put("/resource_classes/" + custom_name("CUSTOM_RC"),
                      json={"name": custom_name("CUSTOM_RC")}, version=client.capped("1.6"))
    assert_error(resp, 404)
    assert class_names(client) == before


@pytest.mark.parametrize("name", ["CUSTOM_NO_SUCH_CLASS_ANYWHERE", "HOUSE"])
def test_show_missing_is_404(client, name):
    assert_error(client.get("/resource_classes/" + name), 404, detail="No such resource class %s" % name)


def test_delete_standard_is_400(client):
    before = class_names(client)
    resp = client.delete("/resource_classes/VCPU")
    assert_error(resp, 400, detail="Cannot delete standard resource class VCPU")
    assert class_names(client) == before


def test_delete_missing_is_404(client):
    before = class_names(client)
    assert_error(client.delete("/resource_classes/" + custom_name("CUSTOM_RC")), 404)
    assert class_names(client) == before


def test_delete_in_use_by_inventory_is_409(client, provider):
    name = client.create_resource_class()
    client.set_inventories(provider["uuid"], {name: {"total": 2}})
    before = (class_names(client), client.provider_state(provider["uuid"]))
    resp = client.delete("/resource_classes/" + name)
    assert_error(resp, 409, detail="Error in delete resource class")
    assert (class_names(client), client.provider_state(provider["uuid"])) == before
