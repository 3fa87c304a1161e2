"""Bad requests get upstream's Status (code, reason, message) and the server
keeps serving."""

from __future__ import annotations

import json
import uuid

import pytest

from engine.api import errors
from tests.rest.http import request

CM = "/api/v1/namespaces/default/configmaps"


@pytest.fixture
def call(served):
    def run(method: str, path: str, **kw):
        kw.setdefault("token", served.admin_token)
        return request(served.url, served.ca_pem, method, path, **kw)

    return run


@pytest.fixture(autouse=True)
def still_serving(call):
    yield
    assert call("GET", "/readyz", token=None).status == 200
    assert call("GET", "/api/v1/namespaces/default").status == 200


def _status(reply, code: int, reason: str) -> dict:
    assert reply.status == code, reply.body
    body = reply.json()
    assert (body["kind"], body["status"], body["code"], body["reason"]) == (
        "Status", "Failure", code, reason)
    return body


def test_no_token_is_401(call):
    body = _status(call("GET", CM, token=None), 401, "Unauthorized")
    assert body["message"] == "Unauthorized"


def test_version_and_health_are_public(call):
    version = call("GET", "/version", token=None).json()
    assert (version["major"], version["minor"], version["gitVersion"]) == ("1", "32", "v1.32.0")
    for path in ("/healthz", "/livez", "/readyz"):
        assert call("GET", path, token=None).body == b"ok"


def test_malformed_json(call):
    body = _status(call("POST", CM, body="{bad", headers={"Content-Type": "application/json"}),
                   400, "BadRequest")
    assert body["message"] == ("couldn't get version/kind; json parse error: invalid character "
                               "'b' looking for beginning of object key string")


def test_truncated_json(call):
    body = _status(call("POST", CM, body='{"a": ', headers={"Content-Type": "application/json"}),
                   400, "BadRequest")
    assert body["message"].endswith("unexpected end of JSON input")


def test_malformed_yaml(call):
    body = _status(call("POST", CM, body="kind: [", headers={"Content-Type": "application/yaml"}),
                   400, "BadRequest")
    assert body["message"].startswith("error converting YAML to JSON: yaml: line 1:")


def test_yaml_body_is_accepted(call):
    name = f"y-{uuid.uuid4().hex[:6]}"
    reply = call("POST", CM, body=f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n",
                 headers={"Content-Type": "application/yaml"})
    assert reply.status == 201
    assert reply.json()["metadata"]["resourceVersion"]


def test_wrong_content_type(call):
    body = _status(call("POST", CM, body="{}", headers={"Content-Type": "text/plain"}),
                   415, "UnsupportedMediaType")
    assert body["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml, application/vnd.kubernetes.protobuf")


def test_wrong_patch_type(call):
    body = _status(call("PATCH", f"{CM}/x", body="{}",
                        headers={"Content-Type": "application/json"}),
                   415, "UnsupportedMediaType")
    assert "application/strategic-merge-patch+json" in body["message"]


def test_unknown_resource(call):
    body = _status(call("GET", "/api/v1/namespaces/default/widgets"), 404, "NotFound")
    assert body["message"] == "the server could not find the requested resource"
    _status(call("GET", "/apis/nosuch.io/v1/things"), 404, "NotFound")


def test_not_found_object(call):
    body = _status(call("GET", "/apis/apps/v1/namespaces/default/deployments/nope"), 404,
                   "NotFound")
    assert body["message"] == 'deployments.apps "nope" not found'
    assert body["details"] == {"name": "nope", "group": "apps", "kind": "deployments"}


def test_body_over_3_mib(call):
    data = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                       "data": {"a": "x" * (3 * 1024 * 1024)}})
    body = _status(call("POST", CM, body=data, headers={"Content-Type": "application/json"}),
                   413, "RequestEntityTooLarge")
    assert body["message"] == "Request entity too large: limit is 3145728"


def test_conflicting_update(call):
    name = f"c-{uuid.uuid4().hex[:6]}"
    created = call("POST", CM, body=json.dumps({"metadata": {"name": name}}),
                   headers={"Content-Type": "application/json"}).json()
    stale = dict(created, data={"a": "1"})
    assert call("PUT", f"{CM}/{name}", body=json.dumps(stale)).status == 200
    stale["data"] = {"a": "2"}
    body = _status(call("PUT", f"{CM}/{name}", body=json.dumps(stale)), 409, "Conflict")
    assert body["message"] == (f'Operation cannot be fulfilled on configmaps "{name}": '
                               f"{errors.OBJECT_MODIFIED}")


def test_name_mismatch_on_update(call):
    body = _status(call("PUT", f"{CM}/one", body=json.dumps({"metadata": {"name": "two"}})),
                   400, "BadRequest")
    assert body["message"] == ("the name of the object (two) does not match the name on the URL "
                               "(one)")


def test_dry_run_is_not_stored(call):
    name = f"d-{uuid.uuid4().hex[:6]}"
    reply = call("POST", f"{CM}?dryRun=All", body=json.dumps({"metadata": {"name": name}}))
    assert reply.status == 201
    _status(call("GET", f"{CM}/{name}"), 404, "NotFound")
    bad = _status(call("POST", f"{CM}?dryRun=Some", body=json.dumps({"metadata": {"name": name}})),
                  422, "Invalid")
    assert 'dryRun: Unsupported value: "Some"' in bad["message"]


def test_field_validation_strict_and_warn(call):
    obj = {"metadata": {"name": f"f-{uuid.uuid4().hex[:6]}"}, "bogus": 1}
    strict = _status(call("POST", f"{CM}?fieldValidation=Strict", body=json.dumps(obj)), 400,
                     "BadRequest")
    assert strict["message"] == ('ConfigMap in version "v1" cannot be handled as a ConfigMap: '
                                 'strict decoding error: unknown field "bogus"')
    warned = call("POST", f"{CM}?fieldValidation=Warn", body=json.dumps(obj))
    assert warned.status == 201
    assert warned.headers["warning"] == '299 - "unknown field \\"bogus\\""'


def test_readonly_user_gets_403(call, served):
    body = _status(call("DELETE", f"{CM}/x", token=served.readonly_token), 403, "Forbidden")
    assert body["message"] == ('configmaps "x" is forbidden: User "k9py-readonly" cannot delete '
                               'resource "configmaps" in API group "" in the namespace "default"')


def test_method_not_allowed(call):
    _status(call("PUT", "/api/v1/namespaces/default/configmaps"), 405, "MethodNotAllowed")


def test_chunked_body_over_3_mib(served):
    """No Content-Length: the limit is enforced while reading."""
    import http.client
    import ssl
    from urllib.parse import urlparse

    url = urlparse(served.url)
    conn = http.client.HTTPSConnection(url.hostname, url.port, context=ssl.create_default_context(
        cadata=served.ca_pem.decode()), timeout=20)
    chunks = (b"x" * 65536 for _ in range(60))
    try:
        conn.request("POST", CM, body=chunks, encode_chunked=True, headers={
            "Authorization": f"Bearer {served.admin_token}",
            "Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        reply = conn.getresponse()
        assert reply.status == 413
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer and close before the whole body is sent
    finally:
        conn.close()
