"""A small Placement HTTP client and the assertions shared by the HTTP tests.

Standard library only (http.client, the layer urllib is built on: urllib.request would add its
own Content-Type to bodies and turn every 4xx into an exception, and these tests need exact
control of the headers they send).
"""
import http.client
import json as jsonlib
import re
import socket
import urllib.parse
import uuid as uuidlib

# The newest microversion these tests know the semantics of (upstream Placement 8.0.0 / Zed).
KNOWN_MAX_VERSION = (1, 39)

REQUEST_ID_RE = re.compile(r"^req-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# webob's reason phrases, which Placement uses as the error "title".
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    415: "Unsupported Media Type",
}

PROJECT_ID = "0b6ea2a1f0a84d5c9b2e2a1d0c3b4a59"
USER_ID = "4c7d1f0e9a8b4c3d2e1f0a9b8c7d6e5f"

UNDEFINED_CODE = "placement.undefined_code"
INVENTORY_INUSE = "placement.inventory.inuse"
PROVIDER_INUSE = "placement.resource_provider.inuse"
CONCURRENT_UPDATE = "placement.concurrent_update"
DUPLICATE_NAME = "placement.duplicate_name"
CANNOT_DELETE_PARENT = "placement.resource_provider.cannot_delete_parent"

_DEFAULT = object()


def parse_version(text):
    """'1.23' -> (1, 23)."""
    major, minor = str(text).split(".")
    return int(major), int(minor)


def format_version(version):
    return "%d.%d" % tuple(version)


def unique_name(prefix="rp"):
    return "%s-%s" % (prefix, uuidlib.uuid4().hex[:12])


def custom_name(prefix="CUSTOM_T"):
    """A fresh CUSTOM_ trait or resource class name."""
    return "%s_%s" % (prefix, uuidlib.uuid4().hex[:12].upper())


def new_uuid():
    return str(uuidlib.uuid4())


class Response:
    def __init__(self, status, reason, headers, body, request_version):
        self.status = status
        self.reason = reason
        self.headers = headers          # case-insensitive (http.client.HTTPMessage)
        self.body = body                # bytes
        self.request_version = request_version  # the version string sent, or None

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return jsonlib.loads(self.body.decode("utf-8"))

    def header(self, name, default=None):
        return self.headers.get(name, default)

    @property
    def microversion(self):
        """The microversion the server says it used (OpenStack-API-Version header), or None."""
        value = self.headers.get("openstack-api-version")
        if not value:
            return None
        service, _, version = value.strip().partition(" ")
        assert service == "placement", value
        return parse_version(version)

    def __repr__(self):
        return "<Response %s %s>" % (self.status, self.text[:500])


class Client:
    """Talks to one Placement endpoint with `X-Auth-Token: admin` and a default microversion."""

    def __init__(self, base_url, version=None, token="admin", timeout=30):
        parsed = urllib.parse.urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host = parsed.hostname
        self.port = parsed.port or 80
        self.prefix = parsed.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.max_version = None
        self.min_version = None
        if version is None:
            self.discover()
            version = min(self.max_version, KNOWN_MAX_VERSION)
        self.version = format_version(version) if isinstance(version, tuple) else version

    # -- versions ------------------------------------------------------------------------------
    def discover(self):
        resp = self.request("GET", "/", version=None, token=None)
        assert resp.status == 200, resp
        doc = resp.json()["versions"][0]
        self.max_version = parse_version(doc["max_version"])
        self.min_version = parse_version(doc["min_version"])
        return doc

    @property
    def version_tuple(self):
        return parse_version(self.version)

    def at(self, version):
        """A copy of this client speaking another microversion."""
        other = Client.__new__(Client)
        other.__dict__.update(self.__dict__)
        other.version = version if isinstance(version, str) else format_version(version)
        return other

    def capped(self, version):
        """`version`, or the advertised maximum when that is lower: for "before X" behaviour,
        which the maximum shows as well when X is beyond it."""
        wanted = parse_version(version) if isinstance(version, str) else version
        if self.max_version is None:
            self.discover()
        return format_version(min(wanted, self.max_version))

    def supports(self, version, probe=None):
        """True when the server advertises `version`.

        When it does not, nothing is skipped: this asserts that the server refuses the version
        the way Placement does (406 with the supported range), and, if `probe` is given as
        (method, path, status), that the feature is absent at the advertised maximum (e.g. a
        route introduced later answers 404 there). Then it returns False and the caller stops.
        """
        wanted = parse_version(version) if isinstance(version, str) else version
        if self.max_version is None:
            self.discover()
        if wanted <= self.max_version:
            return True
        resp = self.request("GET", "/resource_providers", version=format_version(wanted))
        assert_error(resp, 406, detail="Unacceptable version header")
        err = resp.json()["errors"][0]
        assert err["max_version"] == format_version(self.max_version), err
        if probe is not None:
            method, path, status = probe
            resp = self.request(method, path, version=format_version(self.max_version))
            assert resp.status == status, resp
        return False

    # -- HTTP ----------------------------------------------------------------------------------
    def request(self, method, path, json=_DEFAULT, body=None, headers=None, version=_DEFAULT,
                token=_DEFAULT, content_type=_DEFAULT, accept="application/json"):
        """One request on a fresh connection. `json` is serialised with Content-Type
        application/json; `body` (bytes/str) is sent as is with `content_type` (None = no
        Content-Type header). `version=None` sends no OpenStack-API-Version header."""
        hdrs = {}
        if token is _DEFAULT:
            token = self.token
        if token is not None:
            hdrs["X-Auth-Token"] = token
        if version is _DEFAULT:
            version = self.version
        if version is not None:
            hdrs["OpenStack-API-Version"] = "placement %s" % version
        if accept is not None:
            hdrs["Accept"] = accept
        if json is not _DEFAULT:
            body = jsonlib.dumps(json).encode("utf-8")
            if content_type is _DEFAULT:
                content_type = "application/json"
        if isinstance(body, str):
            body = body.encode("utf-8")
        if content_type is _DEFAULT:
            content_type = "application/json" if body else None
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, self.prefix + path, body=body, headers=hdrs)
            raw = conn.getresponse()
            data = raw.read()
            return Response(raw.status, raw.reason, raw.headers, data, version)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def put(self, path, json=_DEFAULT, **kw):
        return self.request("PUT", path, json=json, **kw)

    def post(self, path, json=_DEFAULT, **kw):
        return self.request("POST", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def raw(self, data, read_timeout=30, half_close=True):
        """Send raw bytes on a new socket and parse the response (for requests http.client
        will not produce). With half_close the client shuts its sending side after `data`
        (the request is complete); without, it keeps the connection open as a client still
        sending would. Returns a Response, or raises ConnectionError if the server closed the
        connection without answering, or TimeoutError if it did not answer in time."""
        sock = socket.create_connection((self.host, self.port), timeout=read_timeout)
        try:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and close before reading everything
            if half_close:
                try:
                    sock.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            chunks = []
            while True:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                except socket.timeout:
                    if chunks:
                        break
                    raise TimeoutError("no response within %ss" % read_timeout)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            sock.close()
        return parse_raw_response(b"".join(chunks))

    # -- convenience for fixtures --------------------------------------------------------------
    def create_provider(self, name=None, uuid=None, parent=None, version=_DEFAULT):
        """POST a provider and return its representation (GET after POST below 1.20)."""
        payload = {"name": name or unique_name()}
        if uuid:
            payload["uuid"] = uuid
        if parent:
            payload["parent_provider_uuid"] = parent
        resp = self.post("/resource_providers", json=payload, version=version)
        assert resp.status in (200, 201), resp
        location = resp.header("location")
        assert location, resp.headers
        path = urllib.parse.urlsplit(location).path
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix):]
        if resp.status == 200:
            return resp.json()
        got = self.get(path)
        assert got.status == 200, got
        return got.json()

    def set_inventories(self, rp_uuid, inventories):
        gen = self.get("/resource_providers/%s" % rp_uuid).json()["generation"]
        resp = self.put("/resource_providers/%s/inventories" % rp_uuid,
                        json={"resource_provider_generation": gen, "inventories": inventories})
        assert resp.status == 200, resp
        return resp.json()

    def set_traits(self, rp_uuid, traits):
        gen = self.get("/resource_providers/%s" % rp_uuid).json()["generation"]
        resp = self.put("/resource_providers/%s/traits" % rp_uuid,
                        json={"resource_provider_generation": gen, "traits": traits})
        assert resp.status == 200, resp
        return resp.json()

    def create_trait(self, name=None):
        name = name or custom_name("CUSTOM_T")
        resp = self.put("/traits/%s" % name)
        assert resp.status in (201, 204), resp
        return name

    def create_resource_class(self, name=None):
        name = name or custom_name("CUSTOM_RC")
        resp = self.post("/resource_classes", json={"name": name})
        assert resp.status == 201, resp
        return name

    def allocate(self, consumer, rp_uuid, resources, version=None):
        """PUT /allocations/{consumer} for one provider, in the body format of the microversion
        (list before 1.12, dict after; project/user from 1.8, consumer_generation from 1.28,
        consumer_type from 1.38). The allocation half is not what these tests are about: this
        only creates usage for the resource-provider routes to see."""
        version = version or self.version
        v = parse_version(version)
        if v < (1, 12):
            body = {"allocations": [{"resource_provider": {"uuid": rp_uuid}, "resources": resources}]}
        else:
            body = {"allocations": {rp_uuid: {"resources": resources}}}
        if v >= (1, 8):
            body.update(project_id=PROJECT_ID, user_id=USER_ID)
        if v >= (1, 28):
            body["consumer_generation"] = None
        if v >= (1, 38):
            body["consumer_type"] = "INSTANCE"
        resp = self.put("/allocations/" + consumer, json=body, version=version)
        assert resp.status == 204, resp
        return consumer

    def provider_state(self, rp_uuid):
        """Everything observable about one provider, for 'nothing changed' checks."""
        state = {}
        base = "/resource_providers/%s" % rp_uuid
        for sub in ("", "/inventories", "/usages", "/aggregates", "/traits"):
            resp = self.get(base + sub)
            state[sub or "/"] = (resp.status, resp.json() if resp.body else None)
        return state

    def list_names(self, path, key, field="name"):
        resp = self.get(path)
        assert resp.status == 200, resp
        items = resp.json()[key]
        return sorted(i[field] if isinstance(i, dict) else i for i in items)


def parse_raw_response(data):
    if not data:
        raise ConnectionError("the server closed the connection without a response")
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    _proto, status, *reason = lines[0].split(" ", 2)
    msg = http.client.HTTPMessage()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        msg[name.strip()] = value.strip()
    length = msg.get("content-length")
    if length is not None and length.isdigit():
        body = body[: int(length)]
    elif (msg.get("transfer-encoding") or "").lower() == "chunked":
        body = _dechunk(body)
    return Response(int(status), reason[0] if reason else "", msg, body, None)


def _dechunk(data):
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return out


def assert_error(resp, status, code=None, detail=None):
    """Assert a Placement error response: status, JSON errors body with title, a non-empty
    detail (containing each string in `detail`), a request id, and the error code when the
    response's microversion is 1.23 or later (`code` defaults to placement.undefined_code).
    Returns the error dict."""
    assert resp.status == status, "expected %s, got %s: %s" % (status, resp.status, resp.text[:800])
    ctype = resp.header("content-type", "")
    assert ctype.startswith("application/json"), "content-type %r: %s" % (ctype, resp.text[:300])
    body = resp.json()
    assert isinstance(body.get("errors"), list) and body["errors"], body
    err = body["errors"][0]
    assert err.get("status") == status, err
    if status in TITLES:
        assert err.get("title") == TITLES[status], err
    else:
        assert err.get("title"), err
    assert isinstance(err.get("detail"), str) and err["detail"].strip(), err
    if detail:
        for piece in [detail] if isinstance(detail, str) else detail:
            assert piece in err["detail"], "%r not in detail %r" % (piece, err["detail"])
    assert REQUEST_ID_RE.match(err.get("request_id", "")), err
    header_id = resp.header("x-openstack-request-id")
    if header_id is not None:
        assert header_id == err["request_id"], (header_id, err)
    version = resp.microversion
    if version is not None:
        if version >= (1, 23):
            assert err.get("code") == (code or UNDEFINED_CODE), err
        else:
            assert "code" not in err, err
    return err
