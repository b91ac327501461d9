"""The version document, microversion negotiation, auth and the generic HTTP error paths
(unknown route, wrong method, media types, malformed requests, body size)."""
import http.client
import re

import pytest

from placement_client import (assert_error, format_version, new_uuid, parse_version,
                              unique_name)


def provider_count(client):
    resp = client.get("/resource_providers")
    assert resp.status == 200, resp
    return len(resp.json()["resource_providers"])


# --- GET / and microversions -----------------------------------------------------------------
def test_root_version_document_without_token(client):
    resp = client.get("/", token=None, version=None)
    assert resp.status == 200, resp
    assert resp.header("content-type").startswith("application/json")
    doc = resp.json()
    assert list(doc) == ["versions"] and len(doc["versions"]) == 1
    version = doc["versions"][0]
    assert version["id"] == "v1.0"
    assert version["min_version"] == "1.0"
    assert re.match(r"^1\.\d+$", version["max_version"])
    assert parse_version(version["max_version"]) >= (1, 0)
    assert version["status"] == "CURRENT"
    assert {"rel": "self", "href": ""} in version["links"]
    # no version asked for: the minimum is used and said so
    assert resp.header("openstack-api-version") == "placement 1.0"
    assert "openstack-api-version" in resp.header("vary", "").lower()


def test_latest_resolves_to_advertised_max(client):
    resp = client.get("/", version="latest")
    assert resp.status == 200, resp
    assert resp.header("openstack-api-version") == "placement " + format_version(client.max_version)
    assert "openstack-api-version" in resp.header("vary", "").lower()


def test_every_advertised_version_is_accepted_and_echoed(client):
    for minor in range(0, client.max_version[1] + 1):
        version = "1.%d" % minor
        resp = client.get("/resource_providers?name=nothing-%s" % minor, version=version)
        assert resp.status == 200, (version, resp)
        assert resp.header("openstack-api-version") == "placement " + version


def test_cache_headers_from_1_15(client):
    old = client.get("/", version=client.capped("1.14"))
    assert old.status == 200
    assert old.header("cache-control") is None and old.header("last-modified") is None
    if not client.supports("1.15"):
        return
    new = client.get("/", version="1.15")
    assert new.header("cache-control") == "no-cache"
    assert re.match(r"^\w+, \d+ \w+ \d{4} [\d:]+ GMT$", new.header("last-modified", ""))


@pytest.mark.parametrize("version", ["0.5", "2.0", "1.99999"])
def test_version_out_of_range_is_406(client, version):
    before = provider_count(client)
    resp = client.post("/resource_providers", json={"name": unique_name()}, version=version)
    err = assert_error(resp, 406, detail="Unacceptable version header: %s" % version)
    assert err["max_version"] == format_version(client.max_version)
    assert err["min_version"] == "1.0"
    assert provider_count(client) == before


def test_version_just_above_max_is_406(client):
    above = "%d.%d" % (client.max_version[0], client.max_version[1] + 1)
    resp = client.get("/", version=above)
    err = assert_error(resp, 406, detail="Unacceptable version header")
    assert err["max_version"] == format_version(client.max_version)


@pytest.mark.parametrize("version", ["pony.horse", "1.2.3", "1.", "one"])
def test_version_malformed_is_400(client, version):
    before = provider_count(client)
    resp = client.post("/resource_providers", json={"name": unique_name()}, version=version)
    assert_error(resp, 400, detail="invalid version string")
    assert provider_count(client) == before


def test_other_services_version_header_is_ignored(client):
    resp = client.get("/", version=None, headers={"OpenStack-API-Version": "compute 2.60"})
    assert resp.status == 200, resp
    assert resp.header("openstack-api-version") == "placement 1.0"


# --- auth ------------------------------------------------------------------------------------
@pytest.mark.deliberate_difference(
    "upstream noauth2 answers 401 with webob's {message, code, title} body, not the "
    "Placement errors body; we use the errors body for every error")
def test_missing_token_is_401_with_error_body(client):
    resp = client.get("/resource_providers", token=None)
    assert_error(resp, 401)


def test_missing_token_on_write_changes_nothing(client):
    name = unique_name()
    resp = client.post("/resource_providers", json={"name": name}, token=None)
    assert resp.status == 401, resp
    assert client.list_names("/resource_providers?name=" + name, "resource_providers") == []


def test_token_with_project_is_accepted(client):
    resp = client.get("/resource_providers", token="admin:admin")
    assert resp.status == 200, resp


def test_non_admin_is_forbidden(client):
    resp = client.get("/resource_providers", token="user")
    assert_error(resp, 403)


def test_non_admin_write_is_forbidden_and_changes_nothing(client, provider):
    before = client.provider_state(provider["uuid"])
    name = unique_name()
    assert_error(client.post("/resource_providers", json={"name": name}, token="user"), 403)
    assert_error(client.put("/resource_providers/" + provider["uuid"], json={"name": name},
                            token="user:project"), 403)
    assert_error(client.delete("/resource_providers/" + provider["uuid"], token="user"), 403)
    assert client.list_names("/resource_providers?name=" + name, "resource_providers") == []
    assert client.provider_state(provider["uuid"]) == before


# --- routing -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/barnabas", "/resource_providers/%s/cows" % new_uuid(),
                                  "/resources_providers/%e2%98%83", "/resource_providers/a/b/c/d"],
                         ids=["top-level", "provider-subresource", "encoded-snowman", "too-deep"])
def test_unknown_route_is_404(client, path):
    resp = client.get(path)
    assert_error(resp, 404, detail="The resource could not be found")


def test_unknown_route_code_boundary_1_22_1_23(client):
    assert_error(client.get("/barnabas", version=client.capped("1.22")), 404)  # asserts no code below 1.23
    if client.supports("1.23"):
        err = assert_error(client.get("/barnabas", version="1.23"), 404)
        assert err["code"] == "placement.undefined_code"


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/", {"GET"}),
    ("DELETE", "/resource_providers", {"GET", "POST"}),
    ("OPTIONS", "/resource_providers", {"GET", "POST"}),
    ("PATCH", "/resource_providers/{rp}", {"GET", "PUT", "DELETE"}),
    ("POST", "/resource_providers/{rp}", {"GET", "PUT", "DELETE"}),
    ("PATCH", "/resource_providers/{rp}/inventories", {"GET", "POST", "PUT", "DELETE"}),
    ("POST", "/resource_providers/{rp}/inventories/VCPU", {"GET", "PUT", "DELETE"}),
    ("PUT", "/resource_providers/{rp}/usages", {"GET"}),
    ("POST", "/resource_providers/{rp}/aggregates", {"GET", "PUT"}),
    ("POST", "/resource_providers/{rp}/traits", {"GET", "PUT", "DELETE"}),
    ("DELETE", "/resource_classes", {"GET", "POST"}),
    ("POST", "/resource_classes/VCPU", {"GET", "PUT", "DELETE"}),
    ("POST", "/traits", {"GET"}),
    ("POST", "/traits/CUSTOM_X", {"GET", "PUT", "DELETE"}),
])
def test_wrong_method_is_405_with_allow(client, provider, method, path, allowed):
    before = client.provider_state(provider["uuid"])
    resp = client.request(method, path.format(rp=provider["uuid"]))
    assert_error(resp, 405, detail="The method %s is not allowed for this resource" % method)
    allow = {m.strip() for m in resp.header("allow", "").split(",") if m.strip()}
    assert allow == allowed, resp.header("allow")
    assert client.provider_state(provider["uuid"]) == before


# --- media types -------------------------------------------------------------------------------
def assert_not_acceptable(resp):
    """406 for an Accept without JSON. Placement (webob) formats this error for the client's
    Accept (text or HTML); a JSON errors body is accepted too. Either way it says why."""
    assert resp.status == 406, resp
    if resp.header("content-type", "").startswith("application/json"):
        assert_error(resp, 406, detail="Only application/json is provided")
    else:
        assert "Only application/json is provided" in resp.text, resp


@pytest.mark.parametrize("path", ["/resource_providers/{rp}", "/resource_providers",
                                  "/resource_providers/{rp}/inventories",
                                  "/resource_providers/{rp}/usages",
                                  "/resource_providers/{rp}/traits",
                                  "/resource_providers/{rp}/aggregates",
                                  "/resource_classes", "/traits"])
def test_accept_text_plain_is_406(client, provider, path):
    resp = client.get(path.format(rp=provider["uuid"]), accept="text/plain")
    assert_not_acceptable(resp)


def test_accept_without_json_or_wildcard_is_406(client):
    resp = client.get("/resource_providers",
                      accept="text/html,application/xhtml+xml,application/xml;q=0.9")
    assert_not_acceptable(resp)


def test_browser_accept_with_wildcard_is_served(client, provider):
    resp = client.get("/resource_providers/%s" % provider["uuid"],
                      accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert resp.status == 200, resp
    assert resp.json()["uuid"] == provider["uuid"]


def test_error_for_wildcard_accept_is_json(client):
    resp = client.get("/resource_providers/foo", accept="*/*")
    assert_error(resp, 404)


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "application/x-www-form-urlencoded"])
def test_post_wrong_content_type_is_415(client, ctype):
    name = unique_name()
    resp = client.post("/resource_providers", body='{"name": "%s"}' % name, content_type=ctype)
    assert_error(resp, 415, detail="The media type %s is not supported, use application/json" % ctype)
    assert client.list_names("/resource_providers?name=" + name, "resource_providers") == []


def test_put_without_body_or_content_type_is_415(client, provider):
    before = client.provider_state(provider["uuid"])
    resp = client.put("/resource_providers/%s" % provider["uuid"], content_type=None)
    assert_error(resp, 415, detail="The media type None is not supported, use application/json")
    assert client.provider_state(provider["uuid"]) == before


def test_body_without_content_type_is_400(client):
    before = provider_count(client)
    resp = client.post("/resource_providers", body="I want a resource provider please",
                       content_type=None)
    assert_error(resp, 400, detail="content-type header required when content-length > 0")
    assert provider_count(client) == before


def test_content_type_with_charset_is_accepted(client):
    name = unique_name()
    resp = client.post("/resource_providers", body='{"name": "%s"}' % name,
                       content_type="application/json; charset=UTF-8")
    assert resp.status in (200, 201), resp
    assert client.list_names("/resource_providers?name=" + name, "resource_providers") == [name]


def test_non_integer_content_length_is_400(client):
    before = provider_count(client)
    body = b'{"name": "x"}'
    raw = (b"POST /resource_providers HTTP/1.1\r\nHost: test\r\nX-Auth-Token: admin\r\n"
           b"OpenStack-API-Version: placement " + client.version.encode() + b"\r\n"
           b"Content-Type: application/json\r\nContent-Length: hi mom\r\nConnection: close\r\n\r\n" + body)
    resp = client.raw(raw)
    assert_error(resp, 400, detail="content-length header must be an integer")
    assert provider_count(client) == before


@pytest.mark.deliberate_difference(
    "upstream Placement has no request body limit (it would answer 400 for the oversized "
    "name); ours refuses bodies above the configured limit with 413 before parsing")
def test_oversized_body_is_413(client):
    before = provider_count(client)
    # the default limit (max_body_bytes) is 1 MiB
    body = ('{"name": "%s"}' % ("x" * (2 * 1024 * 1024))).encode()
    raw = (b"POST /resource_providers HTTP/1.1\r\nHost: test\r\nX-Auth-Token: admin\r\n"
           b"OpenStack-API-Version: placement " + client.version.encode() + b"\r\n"
           b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() +
           b"\r\nConnection: close\r\n\r\n")
    resp = client.raw(raw + body)
    assert resp.status == 413, resp
    err = resp.json()["errors"][0]
    assert err["status"] == 413 and err["detail"].strip(), err
    assert provider_count(client) == before


@pytest.mark.deliberate_difference(
    "upstream Placement has no request body limit; ours answers 413 from the declared "
    "Content-Length without reading the body")
def test_oversized_declared_content_length_is_413_before_the_body(client, provider):
    # A client announcing 1 GiB gets its 413 at once, without having to send 1 MiB first.
    before = client.provider_state(provider["uuid"])
    declared = 1024 * 1024 * 1024
    raw = (b"PUT /resource_providers/" + provider["uuid"].encode() + b"/inventories HTTP/1.1\r\n"
           b"Host: test\r\nX-Auth-Token: admin\r\n"
           b"OpenStack-API-Version: placement " + client.version.encode() + b"\r\n"
           b"Content-Type: application/json\r\nContent-Length: " + str(declared).encode() +
           b"\r\nConnection: close\r\n\r\n" + b'{"resource_provider_generation": 0, "inventories": {')
    try:
        resp = client.raw(raw, read_timeout=5, half_close=False)
    except TimeoutError:
        pytest.fail("no answer within 5 s: the server waits for the body instead of refusing "
                    "the declared Content-Length above max_body_bytes")
    assert resp.status == 413, resp
    assert client.provider_state(provider["uuid"]) == before


@pytest.mark.deliberate_difference(
    "upstream's uwsgi accepts headers up to its 64 KiB buffer; ours answers 431 above the "
    "configured max_header_bytes (16 KiB by default)")
def test_oversized_headers_are_431(client):
    before = provider_count(client)
    raw = (b"POST /resource_providers HTTP/1.1\r\nHost: test\r\nX-Auth-Token: admin\r\n"
           b"X-Padding: " + b"p" * (32 * 1024) + b"\r\n"
           b"Content-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n"
           b'{"name": "hdr"}')
    resp = client.raw(raw)
    assert resp.status == 431, resp
    assert provider_count(client) == before


def test_unicode_provider_name_round_trip(client):
    name = "\u2603 " + unique_name()
    rp = client.create_provider(name=name)
    assert rp["name"] == name
    resp = client.get("/resource_providers/%s" % rp["uuid"])
    assert resp.json()["name"] == name
    from urllib.parse import quote
    assert client.list_names("/resource_providers?name=" + quote(name), "resource_providers") == [name]


# --- transport ---------------------------------------------------------------------------------
@pytest.mark.deliberate_difference("upstream's uwsgi configuration adds 'Connection: close'")
def test_keep_alive_serves_several_requests_on_one_connection(client):
    conn = http.client.HTTPConnection(client.host, client.port, timeout=10)
    try:
        for _ in range(3):
            conn.request("GET", "/resource_providers",
                         headers={"X-Auth-Token": "admin", "Accept": "application/json"})
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
            assert (resp.getheader("connection") or "").lower() != "close"
    finally:
        conn.close()


@pytest.mark.deliberate_difference("/healthz and /readyz are ours; upstream has no such routes")
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints(client, path):
    resp = client.get(path, token=None, version=None)
    assert resp.status == 200, resp
