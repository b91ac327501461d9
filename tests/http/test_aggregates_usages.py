"""/resource_providers/{uuid}/aggregates and /resource_providers/{uuid}/usages."""
import pytest

from placement_client import CONCURRENT_UPDATE, assert_error, new_uuid


def agg_path(rp):
    return "/resource_providers/%s/aggregates" % rp["uuid"]


def usage_path(rp):
    return "/resource_providers/%s/usages" % rp["uuid"]


@pytest.fixture
def grouped(client, provider):
    """A provider in two aggregates (generation 1 when 1.19+ is served)."""
    aggs = sorted([new_uuid(), new_uuid()])
    if client.supports("1.19"):
        resp = client.put(agg_path(provider), json={"aggregates": aggs, "resource_provider_generation": 0})
    else:
        resp = client.put(agg_path(provider), json=aggs)
    assert resp.status == 200, resp
    provider["aggregates"] = aggs
    return provider


# --- aggregates: happy paths ------------------------------------------------------------------------
def test_empty_aggregates(client, provider):
    resp = client.get(agg_path(provider), version="1.1")
    assert resp.status == 200, resp
    assert resp.json() == {"aggregates": []}
    if client.supports("1.19"):
        resp = client.get(agg_path(provider), version="1.19")
        assert resp.json() == {"aggregates": [], "resource_provider_generation": 0}


def test_set_aggregates_from_1_19_bumps_generation(client, provider):
    if not client.supports("1.19"):
        return
    aggs = [new_uuid(), new_uuid()]
    resp = client.put(agg_path(provider), version="1.19",
                      json={"aggregates": aggs, "resource_provider_generation": 0})
    assert resp.status == 200, resp
    assert sorted(resp.json()["aggregates"]) == sorted(aggs)
    assert resp.json()["resource_provider_generation"] == 1
    got = client.get(agg_path(provider)).json()
    assert sorted(got["aggregates"]) == sorted(aggs) and got["resource_provider_generation"] == 1
    resp = client.put(agg_path(provider), json={"aggregates": [], "resource_provider_generation": 1})
    assert resp.status == 200 and resp.json() == {"aggregates": [], "resource_provider_generation": 2}


def test_set_aggregates_before_1_19_takes_a_list(client, provider):
    aggs = [new_uuid()]
    resp = client.put(agg_path(provider), json=aggs, version="1.1")
    assert resp.status == 200, resp
    assert resp.json() == {"aggregates": aggs}
    assert client.get(agg_path(provider), version=client.capped("1.18")).json() == {"aggregates": aggs}
    # the generation does not move before 1.19
    assert client.get("/resource_providers/" + provider["uuid"]).json()["generation"] == 0


def test_aggregates_shared_between_providers(client):
    if not client.supports("1.19"):
        return
    agg = new_uuid()
    a, b = client.create_provider(), client.create_provider()
    for rp in (a, b):
        resp = client.put(agg_path(rp), json={"aggregates": [agg], "resource_provider_generation": 0})
        assert resp.status == 200, resp
    listed = client.get("/resource_providers?member_of=" + agg).json()["resource_providers"]
    assert sorted(p["uuid"] for p in listed) == sorted([a["uuid"], b["uuid"]])


def test_aggregates_not_there_at_1_0(client, provider):
    assert_error(client.get(agg_path(provider), version="1.0"), 404)
    before = client.provider_state(provider["uuid"])
    assert_error(client.put(agg_path(provider), json=[new_uuid()], version="1.0"), 404)
    assert client.provider_state(provider["uuid"]) == before


# --- aggregates: bad input ------------------------------------------------------------------------
BAD_AGGS_1_19 = [
    pytest.param('{"aggregates": [}', "Malformed JSON", id="malformed-json"),
    pytest.param('', "Malformed JSON", id="empty-body"),
    pytest.param('["%s"]' % new_uuid(), "JSON does not validate", id="list-body-at-1.19"),
    pytest.param('{"aggregates": ["%s"]}' % new_uuid(), "JSON does not validate", id="missing-generation"),
    pytest.param('{"resource_provider_generation": 1}', "JSON does not validate", id="missing-aggregates"),
    pytest.param('{"aggregates": ["not-a-uuid"], "resource_provider_generation": 1}', "JSON does not validate", id="bad-uuid"),
    pytest.param('{"aggregates": [42], "resource_provider_generation": 1}', "JSON does not validate", id="uuid-not-string"),
    pytest.param('{"aggregates": ["%s", "%s"], "resource_provider_generation": 1}' % ((new_uuid(),) * 2), "JSON does not validate", id="duplicate-uuid"),
    pytest.param('{"aggregates": "%s", "resource_provider_generation": 1}' % new_uuid(), "JSON does not validate", id="aggregates-string"),
    pytest.param('{"aggregates": [], "resource_provider_generation": "1"}', "JSON does not validate", id="generation-string"),
    pytest.param('{"aggregates": [], "resource_provider_generation": 1, "x": 1}', "JSON does not validate", id="unknown-field"),
]


@pytest.mark.parametrize("body,detail", BAD_AGGS_1_19)
def test_set_aggregates_bad_body_is_400(client, grouped, body, detail):
    if not client.supports("1.19"):
        return
    before = client.provider_state(grouped["uuid"])
    resp = client.put(agg_path(grouped), body=body, content_type="application/json", version="1.19")
    assert_error(resp, 400, detail=detail)
    assert client.provider_state(grouped["uuid"]) == before


BAD_AGGS_1_1 = [
    pytest.param('{"aggregates": [], "resource_provider_generation": 0}', "JSON does not validate", id="object-body-before-1.19"),
    pytest.param('["not-a-uuid"]', "JSON does not validate", id="bad-uuid"),
    pytest.param('["%s", "%s"]' % ((new_uuid(),) * 2), "JSON does not validate", id="duplicate-uuid"),
    pytest.param('[', "Malformed JSON", id="malformed-json"),
]


@pytest.mark.parametrize("body,detail", BAD_AGGS_1_1)
def test_set_aggregates_bad_body_before_1_19_is_400(client, grouped, body, detail):
    before = client.provider_state(grouped["uuid"])
    resp = client.put(agg_path(grouped), body=body, content_type="application/json",
                      version=client.capped("1.18"))
    assert_error(resp, 400, detail=detail)
    assert client.provider_state(grouped["uuid"]) == before


@pytest.mark.parametrize("gen", [0, 2, 7])
def test_set_aggregates_wrong_generation_is_409(client, grouped, gen):
    if not client.supports("1.19"):
        return
    before = client.provider_state(grouped["uuid"])
    resp = client.put(agg_path(grouped), json={"aggregates": [new_uuid()], "resource_provider_generation": gen})
    assert_error(resp, 409, code=CONCURRENT_UPDATE,
                 detail="Resource provider's generation already changed. Please update the generation and try again.")
    assert client.provider_state(grouped["uuid"]) == before


def test_set_aggregates_wrong_content_type_is_415(client, grouped):
    before = client.provider_state(grouped["uuid"])
    resp = client.put(agg_path(grouped), body='{"aggregates": [], "resource_provider_generation": 1}',
                      content_type="text/plain")
    assert_error(resp, 415)
    assert client.provider_state(grouped["uuid"]) == before


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_aggregates_missing_provider_is_404(client, method):
    missing = new_uuid()
    body = {"aggregates": [], "resource_provider_generation": 0} if method == "PUT" else None
    resp = client.request(method, "/resource_providers/%s/aggregates" % missing,
                          **({"json": body} if body is not None else {}))
    assert_error(resp, 404)
    assert client.get("/resource_providers/" + missing).status == 404


# --- usages ----------------------------------------------------------------------------------------
def test_usages_of_provider_without_inventory(client, provider):
    resp = client.get(usage_path(provider))
    assert resp.status == 200, resp
    assert resp.json() == {"resource_provider_generation": 0, "usages": {}}


def test_usages_list_every_inventory_class_at_zero(client, provider):
    client.set_inventories(provider["uuid"], {"VCPU": {"total": 4}, "DISK_GB": {"total": 10}})
    resp = client.get(usage_path(provider))
    assert resp.status == 200, resp
    assert resp.json() == {"resource_provider_generation": 1, "usages": {"VCPU": 0, "DISK_GB": 0}}


def test_usages_cache_headers_from_1_15(client, provider):
    assert client.get(usage_path(provider), version=client.capped("1.14")).header("cache-control") is None
    if client.supports("1.15"):
        assert client.get(usage_path(provider), version="1.15").header("cache-control") == "no-cache"


@pytest.mark.parametrize("rp_uuid", [new_uuid(), "not-a-uuid"], ids=["unknown-uuid", "not-a-uuid"])
def test_usages_missing_provider_is_404(client, rp_uuid):
    assert_error(client.get("/resource_providers/%s/usages" % rp_uuid), 404,
                 detail="No resource provider with uuid %s found" % rp_uuid)


def test_usages_ignore_unknown_query(client, provider):
    # Placement does not validate query strings on this route
    assert client.get(usage_path(provider) + "?foo=bar").status == 200
