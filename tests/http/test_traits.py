"""/traits, /traits/{name} and /resource_providers/{uuid}/traits."""
import urllib.parse

import pytest

from placement_client import CONCURRENT_UPDATE, assert_error, custom_name, new_uuid

TRAIT_RULE = ('The trait is invalid. A valid trait must be no longer than 255 characters, start with '
              'the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"')


def trait_names(client, query=""):
    resp = client.get("/traits" + query)
    assert resp.status == 200, resp
    return sorted(resp.json()["traits"])


def rp_traits_path(rp):
    return "/resource_providers/%s/traits" % rp["uuid"]


@pytest.fixture
def traited(client, provider):
    """A provider with one standard and one custom trait (generation 1)."""
    custom = client.create_trait()
    client.set_traits(provider["uuid"], ["HW_CPU_X86_AVX2", custom])
    provider["custom_trait"] = custom
    return provider


# --- happy paths: /traits ------------------------------------------------------------------------
def test_list_matches_os_traits(client):
    import os_traits
    names = set(trait_names(client))
    standard = set(os_traits.get_traits())
    assert standard <= names
    assert all(n in standard or n.startswith("CUSTOM_") for n in names)


def test_put_get_delete_custom_trait(client):
    name = custom_name()
    resp = client.put("/traits/" + name)
    assert resp.status == 201, resp
    assert resp.header("location").endswith("/traits/" + name)
    assert resp.body == b""
    resp = client.put("/traits/" + name)
    assert resp.status == 204, resp
    assert resp.header("location").endswith("/traits/" + name)
    assert client.get("/traits/" + name).status == 204
    assert client.get("/traits/HW_CPU_X86_AVX2").status == 204
    assert name in trait_names(client)
    resp = client.delete("/traits/" + name)
    assert resp.status == 204, resp
    assert client.get("/traits/" + name).status == 404
    assert name not in trait_names(client)


def test_list_filters(client, provider):
    prefix = custom_name("CUSTOM_F")
    a, b, c = prefix + "_A", prefix + "_B", prefix + "_C"
    for name in (a, b, c):
        client.create_trait(name)
    client.set_traits(provider["uuid"], [a])
    assert trait_names(client, "?name=startswith:" + prefix) == [a, b, c]
    assert trait_names(client, "?name=in:%s,%s" % (a, c)) == [a, c]
    assert trait_names(client, "?name=in:%s,CUSTOM_NOT_A_TRAIT_AT_ALL" % b) == [b]
    associated = trait_names(client, "?associated=true")
    assert a in associated and b not in associated
    unassociated = trait_names(client, "?associated=false")
    assert b in unassociated and a not in unassociated
    assert trait_names(client, "?name=startswith:%s&associated=true" % prefix) == [a]
    assert trait_names(client, "?name=startswith:%s&associated=FALSE" % prefix) == [b, c]
    assert "HW_CPU_X86_AVX2" in trait_names(client, "?name=startswith:HW_CPU")


def test_traits_not_there_before_1_6(client, provider):
    assert_error(client.get("/traits", version="1.5"), 404)
    name = custom_name()
    assert_error(client.put("/traits/" + name, version="1.5"), 404)
    assert name not in trait_names(client)
    assert_error(client.get(rp_traits_path(provider), version="1.5"), 404)


# --- happy paths: provider traits ------------------------------------------------------------------
def test_provider_traits_set_list_delete(client, provider):
    custom = client.create_trait()
    resp = client.get(rp_traits_path(provider))
    assert resp.status == 200, resp
    assert resp.json() == {"traits": [], "resource_provider_generation": 0}
    resp = client.put(rp_traits_path(provider), json={"resource_provider_generation": 0,
                                                      "traits": ["HW_CPU_X86_AVX2", custom]})
    assert resp.status == 200, resp
    assert sorted(resp.json()["traits"]) == sorted(["HW_CPU_X86_AVX2", custom])
    assert resp.json()["resource_provider_generation"] == 1
    got = client.get(rp_traits_path(provider)).json()
    assert sorted(got["traits"]) == sorted(["HW_CPU_X86_AVX2", custom])
    assert got["resource_provider_generation"] == 1
    resp = client.put(rp_traits_path(provider), json={"resource_provider_generation": 1, "traits": [custom]})
    assert resp.status == 200 and resp.json()["traits"] == [custom]
    resp = client.delete(rp_traits_path(provider))
    assert resp.status == 204, resp
    assert client.get(rp_traits_path(provider)).json() == {"traits": [], "resource_provider_generation": 3}


def test_provider_traits_empty_list_clears(client, traited):
    resp = client.put(rp_traits_path(traited), json={"resource_provider_generation": 1, "traits": []})
    assert resp.status == 200, resp
    assert resp.json() == {"traits": [], "resource_provider_generation": 2}


# --- bad input: /traits/{name} -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["HW_NOT_CUSTOM", "CUSTOM_lower", "custom_lower", "CUSTOM_A-B",
                                  "CUSTOM_" + "A" * 249, "CUSTOM_%E2%98%83"])
def test_put_invalid_name_is_400(client, name):
    before = trait_names(client)
    resp = client.put("/traits/" + name)
    assert_error(resp, 400, detail=TRAIT_RULE)
    assert trait_names(client) == before


def test_put_255_char_name_is_accepted(client):
    name = (custom_name() + "A" * 255)[:255]
    assert client.put("/traits/" + name).status == 201


def test_put_standard_trait_is_400(client):
    # standard traits exist but are not CUSTOM_: the name check comes first
    before = trait_names(client)
    resp = client.put("/traits/HW_CPU_X86_AVX2")
    assert_error(resp, 400, detail=TRAIT_RULE)
    assert trait_names(client) == before


def test_get_missing_trait_is_404(client):
    name = custom_name()
    assert_error(client.get("/traits/" + name), 404, detail="No such trait(s): %s" % name)


def test_delete_standard_trait_is_400(client):
    before = trait_names(client)
    resp = client.delete("/traits/HW_CPU_X86_AVX2")
    assert_error(resp, 400, detail="Cannot delete standard trait HW_CPU_X86_AVX2")
    assert trait_names(client) == before


def test_delete_missing_trait_is_404(client):
    before = trait_names(client)
    name = custom_name()
    assert_error(client.delete("/traits/" + name), 404, detail="No such trait(s): %s" % name)
    assert trait_names(client) == before


def test_delete_trait_in_use_is_409(client, traited):
    before = (trait_names(client), client.provider_state(traited["uuid"]))
    resp = client.delete("/traits/" + traited["custom_trait"])
    assert_error(resp, 409, detail="The trait %s is in use by a resource provider" % traited["custom_trait"])
    assert (trait_names(client), client.provider_state(traited["uuid"])) == before


@pytest.mark.parametrize("query,detail", [
    ("?name=CUSTOM_NO_OPERATOR", "Badly formatted name parameter"),
    ("?associated=maybe", 'The query parameter "associated" only accepts "true" or "false"'),
    ("?colour=red", "Invalid query string parameters"),
])
def test_list_bad_query_is_400(client, query, detail):
    assert_error(client.get("/traits" + query), 400, detail=detail)


# --- bad input: provider traits ----------------------------------------------------------------------
BAD_SET = [
    pytest.param('{"resource_provider_generation": 1, "traits": [}', "Malformed JSON", id="malformed-json"),
    pytest.param('', "Malformed JSON", id="empty-body"),
    pytest.param('{"traits": ["HW_CPU_X86_SSE"]}', "JSON does not validate", id="missing-generation"),
    pytest.param('{"resource_provider_generation": 1}', "JSON does not validate", id="missing-traits"),
    pytest.param('{"resource_provider_generation": 1, "traits": "HW_CPU_X86_SSE"}', "JSON does not validate", id="traits-string"),
    pytest.param('{"resource_provider_generation": 1, "traits": [1, 2]}', "JSON does not validate", id="trait-not-string"),
    pytest.param('{"resource_provider_generation": 1, "traits": [""]}', "JSON does not validate", id="empty-trait-name"),
    pytest.param('{"resource_provider_generation": 1, "traits": ["CUSTOM_%s"]}' % ("A" * 249), "JSON does not validate", id="trait-256-chars"),
    pytest.param('{"resource_provider_generation": "1", "traits": []}', "JSON does not validate", id="generation-string"),
    pytest.param('{"resource_provider_generation": 1, "traits": [], "x": 0}', "JSON does not validate", id="unknown-field"),
    pytest.param('["HW_CPU_X86_SSE"]', "JSON does not validate", id="array"),
    pytest.param('{"resource_provider_generation": 1, "traits": ["CUSTOM_NO_SUCH_TRAIT_ZZZ"]}', "No such trait CUSTOM_NO_SUCH_TRAIT_ZZZ", id="unknown-trait"),
    pytest.param('{"resource_provider_generation": 1, "traits": ["HW_CPU_X86_SSE", "hw_cpu_x86_sse"]}', "No such trait hw_cpu_x86_sse", id="lowercase-trait"),
]


@pytest.mark.parametrize("body,detail", BAD_SET)
def test_set_provider_traits_bad_body_is_400(client, traited, body, detail):
    before = (client.provider_state(traited["uuid"]), trait_names(client))
    resp = client.put(rp_traits_path(traited), body=body, content_type="application/json")
    assert_error(resp, 400, detail=detail)
    assert (client.provider_state(traited["uuid"]), trait_names(client)) == before


@pytest.mark.parametrize("gen", [0, 2, 42])
def test_set_provider_traits_wrong_generation_is_409(client, traited, gen):
    before = client.provider_state(traited["uuid"])
    resp = client.put(rp_traits_path(traited), json={"resource_provider_generation": gen,
                                                      "traits": ["HW_CPU_X86_SSE"]})
    assert_error(resp, 409, code=CONCURRENT_UPDATE,
                 detail="Resource provider's generation already changed. Please update the generation and try again.")
    assert client.provider_state(traited["uuid"]) == before


def test_set_provider_traits_missing_provider_is_404(client):
    missing = new_uuid()
    resp = client.put("/resource_providers/%s/traits" % missing,
                      json={"resource_provider_generation": 0, "traits": []})
    assert_error(resp, 404)
    assert client.get("/resource_providers/" + missing).status == 404


def test_set_provider_traits_wrong_content_type_is_415(client, traited):
    before = client.provider_state(traited["uuid"])
    resp = client.put(rp_traits_path(traited), body='{"resource_provider_generation": 1, "traits": []}',
                      content_type="text/plain")
    assert_error(resp, 415)
    assert client.provider_state(traited["uuid"]) == before


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_provider_traits_missing_provider_is_404(client, method):
    missing = new_uuid()
    assert_error(client.request(method, "/resource_providers/%s/traits" % missing), 404)


def test_list_filters_urlencoded_names(client):
    name = client.create_trait()
    assert trait_names(client, "?name=" + urllib.parse.quote("in:" + name)) == [name]
