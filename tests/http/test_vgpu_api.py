"""The vGPU API (/vgpu/v1): every route's happy path and its bad inputs (status, Placement error
body with a code, and nothing changed), the idempotent host report, drain/standby, and the
README's worked example. Runs on SQLite and PostgreSQL like every module here.

/vgpu/v1 is versioned by its path: the microversion header is ignored there, so error bodies
always carry a `code` (checked explicitly: assert_error only checks codes when the response
names a microversion).
"""
import uuid as uuidlib

import pytest

from placement_client import PROJECT_ID, USER_ID, assert_error

BASE = "/vgpu/v1"
UNDEFINED = "placement.undefined_code"


def hostname(prefix="compute"):
    return "%s-%s.example" % (prefix, uuidlib.uuid4().hex[:8])


def a40_report(naming="resource_class", profiles=("A40-4Q", "A40-8Q"), pci="0000:84:00.0"):
    return {
        "gpus": [{"pci_address": pci, "board": "A40", "mode": "equal_size",
                  "supported_profiles": list(profiles), "naming": naming}],
        "power": {"idle_watts": 150, "standby_watts": 10},
    }


def vgpu_error(resp, status, code=UNDEFINED, detail=None):
    err = assert_error(resp, status, detail=detail)
    assert err.get("code") == code, err
    return err


def observable(client):
    """Everything the vGPU API and Placement say about the state, for 'nothing changed'."""
    out = {}
    for path in (BASE + "/hosts", BASE + "/licenses", "/resource_providers", "/traits",
                 "/resource_classes"):
        resp = client.get(path)
        assert resp.status == 200, resp
        out[path] = resp.json()
    return out


def put_host(client, name, report, status=None):
    resp = client.put("%s/hosts/%s" % (BASE, name), json=report)
    if status is not None:
        assert resp.status == status, resp
    return resp


def gpu_of(host_view, pci="0000:84:00.0"):
    return next(g for g in host_view["gpus"] if g["pci_address"] == pci)


# -- hosts -----------------------------------------------------------------------------------

def test_host_report_creates_nova_shaped_tree(client):
    name = hostname()
    view = put_host(client, name, a40_report(), 201).json()
    assert view["hostname"] == name
    assert view["state"] == "active"
    gpu = gpu_of(view)
    assert gpu["board"] == "A40" and gpu["mode"] == "equal_size"
    assert gpu["naming"] == "resource_class"
    assert gpu["provider_name"] == name + "_pci_0000_84_00_0"
    assert gpu["profiles"] == {"A40-4Q": {"used": 0, "free": 12}, "A40-8Q": {"used": 0, "free": 6}}
    assert gpu["placed"] == [] and gpu["vgpus"] == 0
    assert view["watts"] > 0

    root = client.get("/resource_providers/" + view["root_provider_uuid"]).json()
    assert root["name"] == name
    child = client.get("/resource_providers/" + gpu["provider_uuid"]).json()
    assert child["parent_provider_uuid"] == root["uuid"]
    inv = client.get("/resource_providers/%s/inventories" % gpu["provider_uuid"]).json()
    assert inv["inventories"]["CUSTOM_VGPU_A40_4Q"]["total"] == 12
    assert inv["inventories"]["CUSTOM_VGPU_A40_8Q"]["total"] == 6
    assert inv["inventories"]["CUSTOM_VGPU_A40_4Q"]["max_unit"] == 12


def test_host_report_trait_naming(client):
    name = hostname()
    view = put_host(client, name, a40_report(naming="trait"), 201).json()
    gpu = gpu_of(view)
    assert gpu["naming"] == "trait"
    inv = client.get("/resource_providers/%s/inventories" % gpu["provider_uuid"]).json()
    assert list(inv["inventories"]) == ["VGPU"]
    assert inv["inventories"]["VGPU"]["total"] == 12  # the larger of 12 (4Q) and 6 (8Q)
    traits = client.get("/resource_providers/%s/traits" % gpu["provider_uuid"]).json()["traits"]
    assert {"CUSTOM_NVIDIA_A40_4Q", "CUSTOM_NVIDIA_A40_8Q"} <= set(traits)


def test_host_report_is_idempotent(client):
    name = hostname()
    first = put_host(client, name, a40_report(), 201).json()
    gens = {u: client.get("/resource_providers/" + u).json()["generation"]
            for u in (first["root_provider_uuid"], gpu_of(first)["provider_uuid"])}
    second = put_host(client, name, a40_report(), 200).json()
    assert second == first
    for u, gen in gens.items():
        assert client.get("/resource_providers/" + u).json()["generation"] == gen


def test_host_report_update_changes_profiles(client):
    name = hostname()
    put_host(client, name, a40_report(), 201)
    view = put_host(client, name, a40_report(profiles=["A40-2Q"]), 200).json()
    gpu = gpu_of(view)
    assert gpu["profiles"] == {"A40-2Q": {"used": 0, "free": 24}}
    inv = client.get("/resource_providers/%s/inventories" % gpu["provider_uuid"]).json()
    assert set(inv["inventories"]) == {"CUSTOM_VGPU_A40_2Q"}


BAD_REPORTS = [
    ("no gpus", {"power": {"idle_watts": 1}}, "'gpus' is a required property"),
    ("unknown field", dict(a40_report(), colour="red"), "Additional properties"),
    ("gpus not a list", {"gpus": {"pci_address": "x"}}, "is not of type 'array'"),
    ("bad mode", {"gpus": [{"pci_address": "0000:84:00.0", "board": "A40", "mode": "fast"}]},
     "'fast' is not one of"),
    ("bad naming", {"gpus": [{"pci_address": "0000:84:00.0", "board": "A40", "naming": "x"}]},
     "is not one of"),
    ("negative power", {"gpus": [{"pci_address": "0000:84:00.0", "board": "A40",
                                  "power": {"idle_watts": -1}}]}, "minimum"),
    ("unknown board", {"gpus": [{"pci_address": "0000:84:00.0", "board": "A41"}]},
     "gpus[0].board: unknown board"),
    ("unknown profile", a40_report(profiles=["A40-5Q"]), "unknown profile"),
    ("profile of another board", a40_report(profiles=["L4-4Q"]), "L4-4Q"),
    ("bad pci address", {"gpus": [{"pci_address": "84:00.0", "board": "A40"}]}, "pci_address"),
    ("same GPU twice", {"gpus": [{"pci_address": "0000:84:00.0", "board": "A40"},
                                 {"pci_address": "0000:84:00.0", "board": "A40"}]},
     "reported twice"),
    ("MIG on a board without MIG", {"gpus": [{"pci_address": "0000:84:00.0", "board": "A40",
                                              "mode": "mig"}]}, "no MIG mode"),
    ("live vGPU on an unreported GPU", dict(a40_report(), vgpus=[{"profile": "A40-4Q",
                                                                   "gpu": "0000:99:00.0"}]),
     "vgpus[0].gpu"),
]


@pytest.mark.parametrize("what,body,detail", BAD_REPORTS, ids=[c[0] for c in BAD_REPORTS])
def test_bad_host_report_changes_nothing(client, what, body, detail):
    name = hostname("bad")
    before = observable(client)
    resp = put_host(client, name, body)
    vgpu_error(resp, 400, detail=detail)
    assert observable(client) == before
    vgpu_error(client.get("%s/hosts/%s" % (BASE, name)), 404, "vgpu.host.not_found")


def test_host_report_malformed_json_and_media_type(client):
    name = hostname("bad")
    before = observable(client)
    vgpu_error(client.put("%s/hosts/%s" % (BASE, name), body="{not json",
                          content_type="application/json"), 400, detail="Malformed JSON")
    resp = client.put("%s/hosts/%s" % (BASE, name), body="gpus", content_type="text/plain")
    vgpu_error(resp, 415)
    vgpu_error(put_host(client, "bad%20host", a40_report()), 400, detail="Invalid hostname")
    vgpu_error(put_host(client, "h" * 184, a40_report()), 400, detail="Invalid hostname")
    assert observable(client) == before


def test_list_and_show_hosts(client):
    name = hostname()
    put_host(client, name, a40_report(), 201)
    hosts = client.get(BASE + "/hosts").json()["hosts"]
    names = [h["hostname"] for h in hosts]
    assert name in names and names == sorted(names)
    shown = client.get("%s/hosts/%s" % (BASE, name))
    assert shown.status == 200
    assert shown.json() == next(h for h in hosts if h["hostname"] == name)
    vgpu_error(client.get("%s/hosts/%s" % (BASE, hostname("ghost"))), 404, "vgpu.host.not_found")
    vgpu_error(client.get(BASE + "/hosts?colour=red"), 400, detail="Invalid query string")


def test_method_not_allowed_and_admin_only(client):
    resp = client.post(BASE + "/profiles", json={})
    assert resp.status == 405, resp
    assert resp.header("allow") == "GET"
    resp = client.request("DELETE", "%s/hosts/x" % BASE)
    assert resp.status == 405 and "PATCH" in resp.header("allow")
    vgpu_error(client.get(BASE + "/hosts", token="alice"), 403)
    assert client.get(BASE + "/hosts", token=None).status == 401
    # Versioned by the path: any microversion header (even a bad one) is ignored.
    assert client.get(BASE + "/profiles?board=L4", version="9.99").status == 200


# -- host state ------------------------------------------------------------------------------

def candidates(client, profile="A40-4Q", **params):
    query = "&".join("%s=%s" % kv for kv in dict(profile=profile, **params).items())
    resp = client.get("%s/candidates?%s" % (BASE, query))
    assert resp.status == 200, resp
    return resp.json()


def test_drain_standby_activate(client):
    name = hostname("drain")
    view = put_host(client, name, a40_report(profiles=["A40-24Q"]), 201).json()
    gpu_uuid = gpu_of(view)["provider_uuid"]

    def offered():
        return [c for c in candidates(client, "A40-24Q", limit=1000)["candidates"]
                if c["gpu_provider_uuid"] == gpu_uuid]

    assert offered()
    path = "%s/hosts/%s" % (BASE, name)
    gen = client.get("/resource_providers/" + gpu_uuid).json()["generation"]
    resp = client.request("PATCH", path, json={"state": "draining"})
    assert resp.status == 200 and resp.json()["state"] == "draining"
    assert not offered()
    rejected = candidates(client, "A40-24Q", explain="true", limit=1000)["rejected"]
    assert any(r["host"] == name and r["rule"] == "host_state" for r in rejected), rejected

    resp = client.request("PATCH", path, json={"state": "standby"})
    assert resp.status == 200 and resp.json()["state"] == "standby"
    assert client.get(path).json()["state"] == "standby"
    assert not offered()  # wake_standby_hosts is off by default

    assert client.request("PATCH", path, json={"state": "active"}).json()["state"] == "active"
    assert offered()
    # A state change touches no provider.
    assert client.get("/resource_providers/" + gpu_uuid).json()["generation"] == gen


def test_bad_state_changes_nothing(client):
    name = hostname("state")
    put_host(client, name, a40_report(), 201)
    before = observable(client)
    path = "%s/hosts/%s" % (BASE, name)
    vgpu_error(client.request("PATCH", path, json={"state": "asleep"}), 400, detail="is not one of")
    vgpu_error(client.request("PATCH", path, json={}), 400, detail="'state' is a required property")
    vgpu_error(client.request("PATCH", path, json={"state": "active", "x": 1}), 400)
    vgpu_error(client.request("PATCH", "%s/hosts/%s" % (BASE, hostname("ghost")),
                              json={"state": "active"}), 404, "vgpu.host.not_found")
    assert observable(client) == before


# -- profiles --------------------------------------------------------------------------------

def test_profiles(client):
    everything = client.get(BASE + "/profiles").json()
    assert {"A40", "A16", "A100"} <= {b["name"] for b in everything["boards"]}
    a40 = client.get(BASE + "/profiles?board=A40").json()
    assert [b["name"] for b in a40["boards"]] == ["A40"]
    by_name = {p["name"]: p for p in a40["profiles"]}
    assert all(p["board"] == "A40" for p in a40["profiles"])
    q4 = by_name["A40-4Q"]
    assert q4["max_equal_size"] == 12 and q4["framebuffer_mb"] == 4096
    assert q4["series"] == "Q" and q4["edition"] == "rtx_vws"
    assert q4["resource_class"] == "CUSTOM_VGPU_A40_4Q"
    assert q4["trait"] == "CUSTOM_NVIDIA_A40_4Q"
    mig = {p["name"]: p for p in client.get(BASE + "/profiles?board=A100").json()["profiles"]}
    assert mig["A100-4-20C"]["mig_placement"] == {"size": 4, "starts": [0]}

    vgpu_error(client.get(BASE + "/profiles?board=A41"), 400, "vgpu.board.unknown",
               detail="unknown board")
    vgpu_error(client.get(BASE + "/profiles?series=Q"), 400, detail="Invalid query string")


# -- licences --------------------------------------------------------------------------------

def set_pools(client, pools, status=200):
    resp = client.put(BASE + "/licenses", json={"pools": pools})
    assert resp.status == status, resp
    return resp.json()


def test_licence_pools(client):
    view = set_pools(client, {"rtx_vws": {"total": 10, "reserve": 1}, "vpc": {"total": 5}})
    assert view["unit"] == "per_vm" and view["b_series_borrows_vws"] is False
    assert view["pools"]["rtx_vws"]["total"] == 10
    assert view["pools"]["rtx_vws"]["reserve"] == 1
    assert view["pools"]["rtx_vws"]["free"] == 9 - view["pools"]["rtx_vws"]["used"]
    assert view["pools"]["vpc"]["total"] == 5 and view["pools"]["vpc"]["reserve"] == 0
    # Editions not named are unlimited.
    assert view["pools"]["vapps"]["total"] is None and view["pools"]["vapps"]["free"] is None
    assert client.get(BASE + "/licenses").json() == view
    set_pools(client, {})
    assert all(p["total"] is None for p in client.get(BASE + "/licenses").json()["pools"].values())


BAD_POOLS = [
    ("reserve above total", {"pools": {"vpc": {"total": 1, "reserve": 2}}}, "reserve"),
    ("negative total", {"pools": {"vpc": {"total": -1}}}, "pools"),
    ("unknown edition", {"pools": {"grid": {"total": 1}}}, "grid"),
    ("unknown field", {"pools": {"vpc": {"total": 1, "seats": 2}}}, "seats"),
    ("no pools", {}, "'pools' is a required property"),
    ("total not a number", {"pools": {"vpc": {"total": "ten"}}}, "pools"),
]


@pytest.mark.parametrize("what,body,detail", BAD_POOLS, ids=[c[0] for c in BAD_POOLS])
def test_bad_licence_pools_change_nothing(client, what, body, detail):
    set_pools(client, {"rtx_vws": {"total": 10, "reserve": 1}})
    before = observable(client)
    vgpu_error(client.put(BASE + "/licenses", json=body), 400, detail=detail)
    assert observable(client) == before


# -- candidates and capacity -----------------------------------------------------------------

def test_candidates_both_namings_and_explain(client):
    set_pools(client, {})
    rc_host = put_host(client, hostname("rc"), a40_report(profiles=["A40-48Q"]), 201).json()
    tr_host = put_host(client, hostname("tr"), a40_report(naming="trait", profiles=["A40-48Q"]),
                       201).json()
    body = candidates(client, "A40-48Q", explain="true", limit=1000)
    assert body["profile"] == "A40-48Q" and body["count"] == 1
    by_gpu = {c["gpu_provider_uuid"]: c for c in body["candidates"]}
    rc = by_gpu[gpu_of(rc_host)["provider_uuid"]]
    tr = by_gpu[gpu_of(tr_host)["provider_uuid"]]
    assert rc["allocations"] == {gpu_of(rc_host)["provider_uuid"]: {
        "resources": {"CUSTOM_VGPU_A40_48Q": 1}}}
    assert tr["allocations"] == {gpu_of(tr_host)["provider_uuid"]: {"resources": {"VGPU": 1}}}
    assert rc["host"] == rc_host["hostname"] and rc["pci_address"] == "0000:84:00.0"
    for c in (rc, tr):
        assert 0 <= c["score"] <= 100
        assert set(c["parts"]) == {"total", "packing", "fragmentation", "energy", "spread"}
    scores = [c["score"] for c in body["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert isinstance(body["rejected"], list)
    # Without explain: no parts, no rejections.
    plain = candidates(client, "A40-48Q", limit=1)
    assert len(plain["candidates"]) == 1 and "parts" not in plain["candidates"][0]
    assert "rejected" not in plain


def test_candidates_explain_rejections_name_the_rule(client):
    set_pools(client, {})
    name = hostname("full")
    view = put_host(client, name, a40_report(profiles=["A40-48Q", "A40-24Q"]), 201).json()
    gpu = gpu_of(view)["provider_uuid"]
    consumer = str(uuidlib.uuid4())
    claim(client, consumer, {gpu: {"resources": {"CUSTOM_VGPU_A40_48Q": 1}}})
    body = candidates(client, "A40-24Q", explain="true", limit=1000)
    assert gpu not in [c["gpu_provider_uuid"] for c in body["candidates"]]
    mine = [r for r in body["rejected"] if r["provider"] == gpu]
    assert mine, body["rejected"]
    assert mine[0]["host"] == name and mine[0]["rule"] == "equal_size", mine
    assert mine[0]["pci_address"] == "0000:84:00.0" and mine[0]["detail"]
    assert client.delete("/allocations/" + consumer).status == 204


BAD_CANDIDATE_QUERIES = [
    ("no profile", "count=1", "'profile' is a required property", UNDEFINED),
    ("unknown profile", "profile=A40-5Q", "unknown profile", "vgpu.profile.unknown"),
    ("count zero", "profile=A40-4Q&count=0", "count", "placement.query.bad_value"),
    ("count not a number", "profile=A40-4Q&count=two", "count", "placement.query.bad_value"),
    ("bad explain", "profile=A40-4Q&explain=maybe", "explain", "placement.query.bad_value"),
    ("bad limit", "profile=A40-4Q&limit=-1", "limit", "placement.query.bad_value"),
    ("bad allow_standby", "profile=A40-4Q&allow_standby=2", "allow_standby",
     "placement.query.bad_value"),
    ("unknown parameter", "profile=A40-4Q&colour=red", "Invalid query string", UNDEFINED),
]


@pytest.mark.parametrize("what,query,detail,code", BAD_CANDIDATE_QUERIES,
                         ids=[c[0] for c in BAD_CANDIDATE_QUERIES])
def test_bad_candidate_queries(client, what, query, detail, code):
    vgpu_error(client.get("%s/candidates?%s" % (BASE, query)), 400, code, detail=detail)


def test_capacity(client):
    set_pools(client, {})
    put_host(client, hostname("cap"), a40_report(profiles=["A40-16Q"]), 201)
    all_profiles = client.get(BASE + "/capacity").json()["profiles"]
    one = client.get(BASE + "/capacity?profile=A40-16Q").json()["profiles"]
    assert len(one) == 1 and one[0] in all_profiles
    assert one[0]["profile"] == "A40-16Q" and one[0]["edition"] == "rtx_vws"
    assert one[0]["free"] >= 3 and one[0]["free_seats"] is None
    assert one[0]["placeable"] == one[0]["free"]
    vgpu_error(client.get(BASE + "/capacity?profile=A40-5Q"), 400, "vgpu.profile.unknown")
    vgpu_error(client.get(BASE + "/capacity?board=A40"), 400, detail="Invalid query string")


# -- the README's worked example -------------------------------------------------------------

def claim(client, consumer, allocations, status=204):
    resp = client.put("/allocations/" + consumer, version="1.39", json={
        "allocations": allocations, "project_id": PROJECT_ID, "user_id": USER_ID,
        "consumer_generation": None, "consumer_type": "INSTANCE"})
    assert resp.status == status, resp
    return resp


def test_readme_example(client):
    """The sequence README.md's "vGPU scheduling" section shows with curl."""
    # 1. A host reports two A40 GPUs (one per Nova naming: per-profile classes, and VGPU+traits).
    name = hostname("readme")
    report = {
        "gpus": [
            {"pci_address": "0000:84:00.0", "board": "A40", "mode": "equal_size",
             "supported_profiles": ["A40-4Q", "A40-8Q"], "naming": "resource_class"},
            {"pci_address": "0000:85:00.0", "board": "A40", "mode": "equal_size",
             "supported_profiles": ["A40-4Q"], "naming": "trait",
             "power": {"idle_watts": 25, "busy_watts": 280}},
        ],
        "power": {"idle_watts": 180, "standby_watts": 12},
    }
    assert put_host(client, name, report).status == 201
    # 2. Licences: 10 RTX vWS seats, 1 held back for administrators.
    pools = set_pools(client, {"rtx_vws": {"total": 10, "reserve": 1}})
    used_before = pools["pools"]["rtx_vws"]["used"]
    cap_before = client.get(BASE + "/capacity?profile=A40-4Q").json()["profiles"][0]
    # 3. Where could one A40-4Q go? With the score parts and the rejections.
    body = candidates(client, "A40-4Q", count=1, explain="true")
    best = next(c for c in body["candidates"] if c["host"] == name)
    assert best["parts"]["total"] == best["score"]
    # 4. Claim it as Nova would: PUT /allocations/{instance} with the candidate's allocations.
    instance = str(uuidlib.uuid4())
    claim(client, instance, best["allocations"])
    # 5. Capacity and seats went down by one; the host shows the vGPU.
    cap_after = client.get(BASE + "/capacity?profile=A40-4Q").json()["profiles"][0]
    assert cap_after["free"] == cap_before["free"] - 1
    assert cap_after["free_seats"] == cap_before["free_seats"] - 1
    pools = client.get(BASE + "/licenses").json()
    assert pools["pools"]["rtx_vws"]["used"] == used_before + 1
    host = client.get("%s/hosts/%s" % (BASE, name)).json()
    gpu = gpu_of(host, best["pci_address"])
    assert gpu["placed"] == [{"profile": "A40-4Q", "start": 0}]
    assert gpu["profiles"]["A40-4Q"]["used"] == 1
    # 6. A pool cannot shrink below the seats in use.
    before = observable(client)
    vgpu_error(client.put(BASE + "/licenses", json={"pools": {"rtx_vws": {"total": 0}}}), 409,
               "vgpu.licence.in_use", detail="in use")
    assert observable(client) == before
    # 7. Deleting the instance gives the vGPU and the seat back.
    assert client.delete("/allocations/" + instance).status == 204
    cap_end = client.get(BASE + "/capacity?profile=A40-4Q").json()["profiles"][0]
    assert cap_end["free"] == cap_before["free"]
    assert client.get(BASE + "/licenses").json()["pools"]["rtx_vws"]["used"] == used_before


# -- the OpenAPI document --------------------------------------------------------------------

REPO = __import__("pathlib").Path(__file__).resolve().parents[2]
OPENAPI = REPO / "api" / "vgpu-openapi.yaml"


def router_routes():
    """(method, pattern) of every /vgpu/v1 route in the router table (api/handlers/vgpu_*.cpp)."""
    import re
    routes = set()
    for source in sorted((REPO / "api" / "handlers").glob("vgpu_*.cpp")):
        for pattern, method in re.findall(r'router\.add\(\{"(/vgpu/v1[^"]*)",\s*"([A-Z]+)"',
                                          source.read_text()):
            routes.add((method.lower(), pattern))
    return routes


def load_openapi():
    import yaml
    with open(OPENAPI) as f:
        return yaml.safe_load(f)


def test_openapi_parses_and_lists_every_route():
    doc = load_openapi()
    assert str(doc["openapi"]).startswith("3.0")
    routes = router_routes()
    assert len(routes) >= 8, routes
    documented = {(m, p) for p, item in doc["paths"].items() for m in item
                  if m in ("get", "put", "post", "patch", "delete")}
    assert routes - documented == set(), "routes missing from the OpenAPI file"
    assert documented - routes == set(), "OpenAPI documents routes the router lacks"
    assert "versioned by its path" in doc["info"]["description"]


def test_openapi_references_resolve_and_errors_use_the_error_body():
    doc = load_openapi()

    def refs(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for ref in refs(doc):
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            assert part in node, "unresolved $ref %s" % ref
            node = node[part]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            assert any(s.startswith("2") for s in op["responses"]), (method, path)
            for status, resp in op["responses"].items():
                if status.startswith("4"):
                    assert resp["$ref"].startswith("#/components/responses/"), (method, path)
    error = doc["components"]["schemas"]["Error"]["properties"]["errors"]["items"]
    assert set(error["required"]) == {"status", "title", "detail", "code", "request_id"}


def test_openapi_host_view_matches_the_server(client):
    doc = load_openapi()
    schema = doc["components"]["schemas"]["Host"]
    view = put_host(client, hostname("oas"), a40_report(), 201).json()
    assert set(schema["required"]) <= set(view)
    assert set(view) <= set(schema["properties"])
    gpu_schema = schema["properties"]["gpus"]["items"]
    assert set(gpu_schema["required"]) <= set(view["gpus"][0]) <= set(gpu_schema["properties"])


# -- README.md's worked example, run as written ----------------------------------------------

def readme_example():
    import re
    text = (REPO / "README.md").read_text()
    match = re.search(r"<!-- vgpu-example:begin -->\s*```bash\n(.*?)```\s*<!-- vgpu-example:end -->",
                      text, re.S)
    assert match, "README.md has no vgpu-example block"
    return match.group(1)


def test_readme_commands(server, client):
    """The curl commands of README.md's "vGPU scheduling" example, run by bash against this
    server exactly as written (host compute1 and its instance are used by no other test)."""
    import subprocess
    env = {"PATH": "/usr/bin:/bin", "PLACEMENT": server.url}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", readme_example()], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    out = done.stdout.splitlines()
    assert out[0].endswith(" -> 201") and '"hostname":"compute1"' in out[0], out[0]
    assert out[1].endswith(" -> 200") and '"total":10' in out[1], out[1]
    import json
    cap_before = json.loads(out[2])["profiles"][0]
    candidates_body = json.loads(out[3])
    assert candidates_body["candidates"] and "rejected" in candidates_body
    assert out[4] == "204", out[4]
    cap_after = json.loads(out[5])["profiles"][0]
    assert cap_after["free"] == cap_before["free"] - 1
    assert cap_after["free_seats"] == cap_before["free_seats"] - 1
    assert json.loads(out[6])["pools"]["rtx_vws"]["used"] >= 1
    # Other tests of this module left hosts too: the best candidate may be on one of them.
    best = candidates_body["candidates"][0]
    host = json.loads(out[7]) if best["host"] == "compute1" else \
        client.get("%s/hosts/%s" % (BASE, best["host"])).json()
    gpu = gpu_of(host, best["pci_address"])
    assert {"profile": "A40-4Q", "start": gpu["placed"][-1]["start"]} in gpu["placed"]
    assert gpu["profiles"]["A40-4Q"]["used"] >= 1
    assert out[8].endswith(" -> 200") and '"state":"draining"' in out[8]
    drained = json.loads(out[9])
    assert not [c for c in drained["candidates"] if c["host"] == "compute1"]
    assert any(r["host"] == "compute1" and r["rule"] == "host_state" for r in drained["rejected"])


def test_host_report_root_uuid(client):
    name = hostname("node")
    root_uuid = str(uuidlib.uuid4())
    view = put_host(client, name, dict(a40_report(), root_uuid=root_uuid), 201).json()
    assert view["root_provider_uuid"] == root_uuid
    assert client.get("/resource_providers/" + root_uuid).json()["name"] == name
    assert put_host(client, name, dict(a40_report(), root_uuid=root_uuid), 200).json() == view
    before = observable(client)
    vgpu_error(put_host(client, name, dict(a40_report(), root_uuid=str(uuidlib.uuid4()))), 409,
               "vgpu.host.in_use", detail="root_uuid")
    # A uuid another provider has.
    vgpu_error(put_host(client, hostname("node"), dict(a40_report(), root_uuid=root_uuid)), 409,
               "vgpu.host.in_use", detail="root_uuid")
    vgpu_error(put_host(client, hostname("node"), dict(a40_report(), root_uuid="not-a-uuid")), 400,
               detail="root_uuid")
    assert observable(client) == before


def test_host_report_live_vgpus_are_compared(client):
    name = hostname("live")
    view = put_host(client, name, a40_report(), 201).json()
    assert "live_vgpu_differences" not in view
    live = dict(a40_report(), vgpus=[{"profile": "A40-4Q", "gpu": "0000:84:00.0", "start": 0}])
    answer = put_host(client, name, live, 200).json()
    diffs = answer["live_vgpu_differences"]
    assert len(diffs) == 1 and diffs[0]["gpu"] == "0000:84:00.0", diffs
    assert diffs[0]["kind"] in ("missing", "extra", "mismatched") and "A40-4Q" in diffs[0]["detail"]
    # Told, not acted on: nothing is placed.
    assert gpu_of(answer)["placed"] == []
    gpu = gpu_of(answer)["provider_uuid"]
    consumer = str(uuidlib.uuid4())
    claim(client, consumer, {gpu: {"resources": {"CUSTOM_VGPU_A40_4Q": 1}}})
    live["vgpus"][0]["consumer"] = consumer
    assert put_host(client, name, live, 200).json()["live_vgpu_differences"] == []
    assert client.delete("/allocations/" + consumer).status == 204
