"""/resource_providers and /resource_providers/{uuid}: happy paths, every bad input, and that a
rejected request changes nothing."""
import json
import urllib.parse

import pytest

from placement_client import (CANNOT_DELETE_PARENT, DUPLICATE_NAME, assert_error, custom_name,
                              new_uuid, unique_name)


def all_providers(client):
    resp = client.get("/resource_providers")
    assert resp.status == 200, resp
    return sorted((p["uuid"], p["name"], p["generation"]) for p in resp.json()["resource_providers"])


def links(rp):
    return {link["rel"]: link["href"] for link in rp["links"]}


# --- happy paths ---------------------------------------------------------------------------------
def test_create_show_list_update_delete(client):
    rp_uuid, name = new_uuid(), unique_name()
    created = client.create_provider(name=name, uuid=rp_uuid)
    assert created["uuid"] == rp_uuid and created["name"] == name
    assert created["generation"] == 0
    base = "/resource_providers/" + rp_uuid
    if client.version_tuple >= (1, 14):
        assert created["parent_provider_uuid"] is None
        assert created["root_provider_uuid"] == rp_uuid
    expected_links = {"self": base, "inventories": base + "/inventories", "usages": base + "/usages"}
    for rel, since in (("aggregates", (1, 1)), ("traits", (1, 6)), ("allocations", (1, 11))):
        if client.version_tuple >= since:
            expected_links[rel] = base + "/" + rel
    assert links(created) == expected_links

    shown = client.get(base)
    assert shown.status == 200 and shown.json() == created

    listed = client.get("/resource_providers?name=" + name).json()["resource_providers"]
    assert listed == [created]

    new_name = unique_name()
    resp = client.put(base, json={"name": new_name})
    assert resp.status == 200, resp
    body = resp.json()
    assert body["name"] == new_name and body["uuid"] == rp_uuid and body["generation"] == 0
    assert resp.header("location") is None
    assert client.get(base).json()["name"] == new_name

    resp = client.delete(base)
    assert resp.status == 204, resp
    assert resp.body == b""
    assert client.get(base).status == 404


def test_create_before_1_20_is_201_without_body(client):
    name = unique_name()
    resp = client.post("/resource_providers", json={"name": name}, version=client.capped("1.19"))
    assert resp.status == 201, resp
    assert resp.body == b""
    assert resp.header("content-type") is None
    location = resp.header("location")
    assert "/resource_providers/" in location
    rp_uuid = location.rsplit("/", 1)[1]
    assert client.get("/resource_providers/" + rp_uuid).json()["name"] == name


def test_create_from_1_20_returns_provider(client):
    if not client.supports("1.20"):
        return
    name = unique_name()
    resp = client.post("/resource_providers", json={"name": name}, version="1.20")
    assert resp.status == 200, resp
    body = resp.json()
    assert body["name"] == name and body["generation"] == 0
    assert resp.header("location").endswith("/resource_providers/" + body["uuid"])


def test_create_generates_uuid_and_normalises_dashless_uuid(client):
    rp = client.create_provider()
    assert len(rp["uuid"]) == 36 and rp["uuid"].count("-") == 4
    dashed = new_uuid()
    rp = client.create_provider(uuid=dashed.replace("-", ""))
    assert rp["uuid"] == dashed


def test_name_of_200_characters_is_accepted(client):
    name = (unique_name() + "x" * 200)[:200]
    rp = client.create_provider(name=name)
    assert rp["name"] == name


def test_links_and_fields_by_microversion(client, provider):
    path = "/resource_providers/" + provider["uuid"]
    base = {"self", "inventories", "usages"}
    expected = [("1.0", base), ("1.1", base | {"aggregates"}), ("1.5", base | {"aggregates"}),
                ("1.6", base | {"aggregates", "traits"}), ("1.10", base | {"aggregates", "traits"}),
                ("1.11", base | {"aggregates", "traits", "allocations"})]
    for version, rels in expected:
        if not client.supports(version):
            break
        body = client.get(path, version=version).json()
        assert set(links(body)) == rels, version
        assert set(body) == {"uuid", "name", "generation", "links"}, version
    body = client.get(path, version=client.capped("1.13")).json()
    assert set(body) == {"uuid", "name", "generation", "links"}
    if client.supports("1.14"):
        body = client.get(path, version="1.14").json()
        assert body["root_provider_uuid"] == provider["uuid"] and body["parent_provider_uuid"] is None


def test_nested_providers_and_in_tree(client):
    if not client.supports("1.14"):
        return
    root = client.create_provider()
    child = client.create_provider(parent=root["uuid"])
    assert child["parent_provider_uuid"] == root["uuid"]
    assert child["root_provider_uuid"] == root["uuid"]
    grandchild = client.create_provider(parent=child["uuid"])
    assert grandchild["root_provider_uuid"] == root["uuid"]
    other = client.create_provider()
    for member in (root, child, grandchild):
        got = client.get("/resource_providers?in_tree=" + member["uuid"]).json()["resource_providers"]
        assert sorted(p["uuid"] for p in got) == sorted([root["uuid"], child["uuid"], grandchild["uuid"]])
    got = client.get("/resource_providers?in_tree=" + other["uuid"]).json()["resource_providers"]
    assert [p["uuid"] for p in got] == [other["uuid"]]
    assert client.get("/resource_providers?in_tree=" + new_uuid()).json()["resource_providers"] == []


def test_set_parent_on_existing_root(client):
    if not client.supports("1.14"):
        return
    parent = client.create_provider()
    rp = client.create_provider()
    resp = client.put("/resource_providers/" + rp["uuid"],
                      json={"name": rp["name"], "parent_provider_uuid": parent["uuid"]})
    assert resp.status == 200, resp
    assert resp.json()["parent_provider_uuid"] == parent["uuid"]
    assert resp.json()["root_provider_uuid"] == parent["uuid"]


def test_reparent_and_unparent_from_1_37(client):
    if not client.supports("1.37"):
        return
    a, b = client.create_provider(), client.create_provider()
    child = client.create_provider(parent=a["uuid"])
    path = "/resource_providers/" + child["uuid"]
    resp = client.put(path, json={"name": child["name"], "parent_provider_uuid": b["uuid"]}, version="1.37")
    assert resp.status == 200, resp
    assert resp.json()["root_provider_uuid"] == b["uuid"]
    resp = client.put(path, json={"name": child["name"], "parent_provider_uuid": None}, version="1.37")
    assert resp.status == 200, resp
    assert resp.json()["parent_provider_uuid"] is None
    assert resp.json()["root_provider_uuid"] == child["uuid"]


def test_list_filters(client):
    if not client.supports("1.18", probe=("GET", "/resource_providers?required=HW_CPU_X86_AVX2", 400)):
        return
    trait = client.create_trait()
    agg = new_uuid()
    a, b, c = client.create_provider(), client.create_provider(), client.create_provider()
    client.set_inventories(a["uuid"], {"VCPU": {"total": 8}, "DISK_GB": {"total": 100}})
    client.set_inventories(b["uuid"], {"VCPU": {"total": 2}})
    client.set_traits(a["uuid"], [trait])
    gen = client.get("/resource_providers/" + b["uuid"]).json()["generation"]
    resp = client.put("/resource_providers/%s/aggregates" % b["uuid"],
                      json={"aggregates": [agg], "resource_provider_generation": gen})
    assert resp.status == 200, resp
    mine = {a["uuid"], b["uuid"], c["uuid"]}

    def found(query):
        resp = client.get("/resource_providers?" + query)
        assert resp.status == 200, (query, resp)
        return {p["uuid"] for p in resp.json()["resource_providers"]} & mine

    assert found("uuid=" + a["uuid"]) == {a["uuid"]}
    assert found("name=" + urllib.parse.quote(b["name"])) == {b["uuid"]}
    assert found("resources=VCPU:4") == {a["uuid"]}
    assert found("resources=VCPU:2") == {a["uuid"], b["uuid"]}
    assert found("resources=VCPU:1,DISK_GB:50") == {a["uuid"]}
    assert found("required=" + trait) == {a["uuid"]}
    assert found("member_of=" + agg) == {b["uuid"]}
    assert found("member_of=in:%s,%s" % (agg, new_uuid())) == {b["uuid"]}
    if client.supports("1.22"):
        assert found("required=!" + trait) == {b["uuid"], c["uuid"]}
    if client.supports("1.32"):
        assert found("member_of=!" + agg) == {a["uuid"], c["uuid"]}
    if client.supports("1.39"):
        assert found("required=in:%s,%s" % (trait, "HW_CPU_X86_AVX2")) == {a["uuid"]}


def test_delete_child_then_parent(client):
    if not client.supports("1.14"):
        return
    parent = client.create_provider()
    child = client.create_provider(parent=parent["uuid"])
    assert client.delete("/resource_providers/" + child["uuid"]).status == 204
    assert client.delete("/resource_providers/" + parent["uuid"]).status == 204


# --- bad input: create ---------------------------------------------------------------------------
BAD_CREATE_BODIES = [
    pytest.param('{"foo": }', "Malformed JSON", id="malformed-json"),
    pytest.param('{"name": "x"', "Malformed JSON", id="truncated-json"),
    pytest.param("", "Malformed JSON", id="empty-body"),
    pytest.param('["name"]', "JSON does not validate", id="array-not-object"),
    pytest.param('"just a string"', "JSON does not validate", id="string-not-object"),
    pytest.param('{}', "JSON does not validate", id="missing-name"),
    pytest.param('{"name": 42}', "JSON does not validate", id="name-not-string"),
    pytest.param('{"name": null}', "JSON does not validate", id="name-null"),
    pytest.param('{"name": ["a"]}', "JSON does not validate", id="name-array"),
    pytest.param('{"name": "%s"}' % ("n" * 201), "JSON does not validate", id="name-201-chars"),
    pytest.param('{"name": "ok", "transport": "car"}', "JSON does not validate", id="unknown-field"),
    pytest.param('{"name": "ok", "generation": 3}', "JSON does not validate", id="generation-field"),
    pytest.param('{"name": "ok", "uuid": "this is not a uuid"}', "JSON does not validate", id="bad-uuid"),
    pytest.param('{"name": "ok", "uuid": 12}', "JSON does not validate", id="uuid-not-string"),
    pytest.param('{"name": "ok", "uuid": "%s-0"}' % new_uuid(), "JSON does not validate", id="uuid-too-long"),
    pytest.param('{"name": "ok", "root_provider_uuid": "%s"}' % new_uuid(), "JSON does not validate",
                 id="root-provider-uuid"),
    pytest.param('{"name": "ok", "parent_provider_uuid": "not-a-uuid"}', "JSON does not validate",
                 id="bad-parent-uuid"),
    pytest.param('{"name": "ok", "parent_provider_uuid": 7}', "JSON does not validate",
                 id="parent-not-string"),
]


@pytest.mark.parametrize("body,detail", BAD_CREATE_BODIES)
def test_create_bad_body_is_400(client, body, detail):
    before = all_providers(client)
    resp = client.post("/resource_providers", body=body, content_type="application/json")
    assert_error(resp, 400, detail=detail)
    assert all_providers(client) == before


def test_create_parent_before_1_14_is_400(client):
    parent = client.create_provider()
    before = all_providers(client)
    resp = client.post("/resource_providers", version=client.capped("1.13"),
                       json={"name": unique_name(), "parent_provider_uuid": parent["uuid"]})
    assert_error(resp, 400, detail="JSON does not validate")
    assert all_providers(client) == before


def test_create_with_missing_parent_is_400(client):
    if not client.supports("1.14"):
        return
    before = all_providers(client)
    resp = client.post("/resource_providers",
                       json={"name": unique_name(), "parent_provider_uuid": new_uuid()})
    assert_error(resp, 400, detail="parent provider UUID does not exist")
    assert all_providers(client) == before


def test_create_self_parent_is_400(client):
    if not client.supports("1.14"):
        return
    before = all_providers(client)
    rp_uuid, name = new_uuid(), unique_name()
    resp = client.post("/resource_providers",
                       json={"name": name, "uuid": rp_uuid, "parent_provider_uuid": rp_uuid})
    assert_error(resp, 400, detail=["parent provider UUID cannot be same as UUID",
                                    'Unable to create resource provider "%s", %s:' % (name, rp_uuid)])
    assert all_providers(client) == before


def test_create_duplicate_name_is_409(client, provider):
    before = all_providers(client)
    resp = client.post("/resource_providers", json={"name": provider["name"], "uuid": new_uuid()})
    assert_error(resp, 409, code=DUPLICATE_NAME,
                 detail="Conflicting resource provider name: %s already exists" % provider["name"])
    assert all_providers(client) == before


def test_create_duplicate_uuid_is_409(client, provider):
    before = all_providers(client)
    resp = client.post("/resource_providers", json={"name": unique_name(), "uuid": provider["uuid"]})
    assert_error(resp, 409, code=DUPLICATE_NAME,
                 detail="Conflicting resource provider uuid: %s already exists" % provider["uuid"])
    dashless = provider["uuid"].replace("-", "")
    resp = client.post("/resource_providers", json={"name": unique_name(), "uuid": dashless})
    assert_error(resp, 409, code=DUPLICATE_NAME,
                 detail="Conflicting resource provider uuid: %s already exists" % provider["uuid"])
    assert all_providers(client) == before


def test_create_wrong_content_type_is_415(client):
    before = all_providers(client)
    resp = client.post("/resource_providers", body=json.dumps({"name": unique_name()}),
                       content_type="text/plain")
    assert_error(resp, 415)
    assert all_providers(client) == before


# --- bad input: show / list ----------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/resource_providers/" + new_uuid(), "/resource_providers/random_sauce",
                                  "/resource_providers/" + "a" * 300],
                         ids=["unknown-uuid", "not-a-uuid", "300-chars"])
def test_show_missing_provider_is_404(client, path):
    resp = client.get(path)
    assert_error(resp, 404)


def test_show_missing_provider_detail(client):
    missing = new_uuid()
    resp = client.get("/resource_providers/" + missing)
    assert_error(resp, 404, detail="No resource provider with uuid %s found" % missing)


BAD_LIST_QUERIES = [
    pytest.param("uuid=spameggs", "1.0", "Invalid query string parameters", id="bad-uuid"),
    pytest.param("spam=eggs", "1.0", "Invalid query string parameters", id="unknown-param"),
    pytest.param("member_of=" + new_uuid(), "1.2", "Invalid query string parameters", id="member_of-before-1.3"),
    pytest.param("resources=VCPU:1", "1.3", "Invalid query string parameters", id="resources-before-1.4"),
    pytest.param("in_tree=" + new_uuid(), "1.13", "Invalid query string parameters", id="in_tree-before-1.14"),
    pytest.param("required=HW_CPU_X86_AVX2", "1.17", "Invalid query string parameters", id="required-before-1.18"),
    pytest.param("member_of=not-a-uuid", "1.3", "Expected 'member_of' parameter to contain valid UUID(s)", id="member_of-bad-uuid"),
    pytest.param("member_of=in:", "1.3", "Expected 'member_of' parameter to contain valid UUID(s)", id="member_of-empty-in"),
    pytest.param("in_tree=not-a-uuid", "1.14", "Invalid query string parameters", id="in_tree-bad-uuid"),
    pytest.param("resources=VCPU", "1.4", "Badly formed resources parameter", id="resources-no-amount"),
    pytest.param("resources=VCPU:x", "1.4", "Requested resource VCPU expected positive integer amount", id="resources-non-integer"),
    pytest.param("resources=VCPU:-1", "1.4", "Requested resource VCPU requires amount >= 1", id="resources-negative"),
    pytest.param("resources=VCPU:0", "1.4", "Requested resource VCPU requires amount >= 1", id="resources-zero"),
    pytest.param("member_of=%s,%s" % (new_uuid(), new_uuid()), "1.3", "Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword", id="member_of-list-without-in"),
    pytest.param("resources=", "1.4", "Badly formed resources parameter", id="resources-empty"),
    pytest.param("resources=CUSTOM_NOPE_NOT_THERE:1", "1.4", "Invalid resource class in resources parameter", id="resources-unknown-class"),
    pytest.param("required=", "1.18", "Invalid query string parameters: Expected 'required' parameter value of the form", id="required-empty"),
    pytest.param("required=HW_CPU_X86_AVX2,,HW_CPU_X86_SSE", "1.18", "Invalid query string parameters", id="required-empty-item"),
    pytest.param("required=CUSTOM_NO_SUCH_TRAIT_HERE", "1.18", "No such trait(s): CUSTOM_NO_SUCH_TRAIT_HERE", id="required-unknown-trait"),
    pytest.param("required=!HW_CPU_X86_AVX2", "1.21", "Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !HW_CPU_X86_AVX2", id="forbidden-before-1.22"),
    pytest.param("member_of=!" + new_uuid(), "1.31", "Forbidden member_of parameters are not supported in the specified microversion", id="forbidden-agg-before-1.32"),
    pytest.param("required=in:HW_CPU_X86_AVX2,HW_CPU_X86_SSE", "1.38", "The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39", id="any-traits-before-1.39"),
]


@pytest.mark.parametrize("query,version,detail", BAD_LIST_QUERIES)
def test_list_bad_query_is_400(client, query, version, detail):
    if not client.supports(version):
        return
    before = all_providers(client)
    resp = client.get("/resource_providers?" + query, version=version)
    assert_error(resp, 400, detail=detail)
    assert all_providers(client) == before


def test_list_member_of_repeated_before_1_24_is_400(client):
    if not client.supports("1.24"):
        return
    agg1, agg2 = new_uuid(), new_uuid()
    resp = client.get("/resource_providers?member_of=%s&member_of=%s" % (agg1, agg2), version="1.23")
    assert_error(resp, 400, detail="Multiple member_of parameters are not supported")
    resp = client.get("/resource_providers?member_of=%s&member_of=%s" % (agg1, agg2), version="1.24")
    assert resp.status == 200, resp


# --- bad input: update ---------------------------------------------------------------------------
BAD_UPDATE_BODIES = [
    pytest.param('{"name": }', "Malformed JSON", id="malformed-json"),
    pytest.param("[]", "JSON does not validate", id="array-not-object"),
    pytest.param('{"badfield": "new name"}', "JSON does not validate", id="unknown-field"),
    pytest.param('{"name": "x", "uuid": "%s"}' % new_uuid(), "JSON does not validate", id="uuid-not-updatable"),
    pytest.param('{"name": "x", "generation": 5}', "JSON does not validate", id="generation-not-updatable"),
    pytest.param('{"name": 5}', "JSON does not validate", id="name-not-string"),
    pytest.param('{"name": "%s"}' % ("n" * 201), "JSON does not validate", id="name-201-chars"),
    pytest.param('{"root_provider_uuid": "%s"}' % new_uuid(), "JSON does not validate", id="root-provider-uuid"),
    pytest.param('{"name": "x", "parent_provider_uuid": "not-a-uuid"}', "JSON does not validate", id="bad-parent-uuid"),
]


@pytest.mark.parametrize("body,detail", BAD_UPDATE_BODIES)
def test_update_bad_body_is_400(client, provider, body, detail):
    before = client.provider_state(provider["uuid"])
    resp = client.put("/resource_providers/" + provider["uuid"], body=body, content_type="application/json")
    assert_error(resp, 400, detail=detail)
    assert client.provider_state(provider["uuid"]) == before


def test_update_parent_before_1_14_is_400(client, provider):
    parent = client.create_provider()
    before = client.provider_state(provider["uuid"])
    resp = client.put("/resource_providers/" + provider["uuid"], version=client.capped("1.13"),
                      json={"name": provider["name"], "parent_provider_uuid": parent["uuid"]})
    assert_error(resp, 400, detail="JSON does not validate")
    assert client.provider_state(provider["uuid"]) == before


def test_update_duplicate_name_is_409(client, provider):
    other = client.create_provider()
    before = client.provider_state(provider["uuid"])
    resp = client.put("/resource_providers/" + provider["uuid"], json={"name": other["name"]})
    assert_error(resp, 409, code=DUPLICATE_NAME, detail="Conflicting resource provider")
    assert client.provider_state(provider["uuid"]) == before


def test_update_missing_provider_is_404(client):
    missing = new_uuid()
    resp = client.put("/resource_providers/" + missing, json={"name": unique_name()})
    assert_error(resp, 404)
    assert client.get("/resource_providers/" + missing).status == 404


def test_update_wrong_content_type_is_415(client, provider):
    before = client.provider_state(provider["uuid"])
    resp = client.put("/resource_providers/" + provider["uuid"], body='{"name": "x"}', content_type="text/plain")
    assert_error(resp, 415)
    assert client.provider_state(provider["uuid"]) == before


def test_update_parent_to_missing_provider_is_400(client, provider):
    if not client.supports("1.14"):
        return
    before = client.provider_state(provider["uuid"])
    resp = client.put("/resource_providers/" + provider["uuid"],
                      json={"name": provider["name"], "parent_provider_uuid": new_uuid()})
    assert_error(resp, 400, detail="parent provider UUID does not exist")
    assert client.provider_state(provider["uuid"]) == before


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_update_parent_creating_loop_is_400(client, target):
    if not client.supports("1.14"):
        return
    root = client.create_provider()
    child = client.create_provider(parent=root["uuid"])
    grandchild = client.create_provider(parent=child["uuid"])
    new_parent = {"self": root, "child": child, "grandchild": grandchild}[target]["uuid"]
    states = {rp["uuid"]: client.provider_state(rp["uuid"]) for rp in (root, child, grandchild)}
    # a loop is refused whatever the microversion (1.37 allows re-parenting otherwise)
    resp = client.put("/resource_providers/" + root["uuid"],
                      json={"name": root["name"], "parent_provider_uuid": new_parent})
    assert_error(resp, 400, detail="creating loop in the provider tree is not allowed")
    for rp_uuid, state in states.items():
        assert client.provider_state(rp_uuid) == state


def test_reparent_before_1_37_is_400(client):
    if not client.supports("1.14"):
        return
    a, b = client.create_provider(), client.create_provider()
    child = client.create_provider(parent=a["uuid"])
    version = "1.36" if client.supports("1.36") else client.version
    before = client.provider_state(child["uuid"])
    resp = client.put("/resource_providers/" + child["uuid"], version=version,
                      json={"name": child["name"], "parent_provider_uuid": b["uuid"]})
    assert_error(resp, 400, detail="re-parenting a provider is not currently allowed")
    resp = client.put("/resource_providers/" + child["uuid"], version=version,
                      json={"name": child["name"], "parent_provider_uuid": None})
    assert_error(resp, 400, detail="un-parenting a provider is not currently allowed")
    assert client.provider_state(child["uuid"]) == before


# --- bad input: delete ---------------------------------------------------------------------------
def test_delete_missing_provider_is_404(client):
    missing = new_uuid()
    resp = client.delete("/resource_providers/" + missing)
    assert_error(resp, 404, detail="No resource provider with uuid %s found for delete" % missing)


def test_delete_twice_is_404(client, provider):
    assert client.delete("/resource_providers/" + provider["uuid"]).status == 204
    assert_error(client.delete("/resource_providers/" + provider["uuid"]), 404)


def test_delete_parent_with_child_is_409(client):
    if not client.supports("1.14"):
        return
    parent = client.create_provider()
    child = client.create_provider(parent=parent["uuid"])
    before = (client.provider_state(parent["uuid"]), client.provider_state(child["uuid"]))
    resp = client.delete("/resource_providers/" + parent["uuid"])
    assert_error(resp, 409, code=CANNOT_DELETE_PARENT,
                 detail="Unable to delete parent resource provider %s: It has child resource providers."
                        % parent["uuid"])
    assert (client.provider_state(parent["uuid"]), client.provider_state(child["uuid"])) == before


def test_delete_provider_takes_its_traits_inventory_and_aggregates(client, provider):
    trait = client.create_trait()
    client.set_inventories(provider["uuid"], {"VCPU": {"total": 4}})
    client.set_traits(provider["uuid"], [trait])
    assert client.delete("/resource_providers/" + provider["uuid"]).status == 204
    for sub in ("", "/inventories", "/traits", "/aggregates", "/usages"):
        assert client.get("/resource_providers/%s%s" % (provider["uuid"], sub)).status == 404
    # the trait itself stays, and is no longer associated with anything
    assert client.get("/traits/" + trait).status == 204


def test_custom_names_are_not_provider_names(client):
    # names are free text: a provider may be called like a trait
    name = custom_name()
    assert client.create_provider(name=name)["name"] == name
