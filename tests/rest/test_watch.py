"""Watch over HTTP: NDJSON frames, Tables in watches, resume, 410 in-stream,
timeouts and disconnects (in-process server, so the test can compact)."""

from __future__ import annotations

import json
import socket
import ssl
import time
import uuid
from urllib.parse import urlparse

import pytest

from tests.rest.conftest import ROOT_CA, wait_for
from tests.rest.http import request

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


@pytest.fixture
def call(inproc):
    def run(method: str, path: str, **kw):
        kw.setdefault("token", inproc.server.tokens.admin)
        return request(inproc.url, inproc.server.cert.cert_pem, method, path, **kw)

    return run


def _events(reply) -> list[dict]:
    return [json.loads(line) for line in reply.body.splitlines() if line.strip()]


def _ns(inproc) -> str:
    """A fresh namespace, once it has its ``kube-root-ca.crt`` (the root CA
    publisher puts one in every namespace, as on a real cluster)."""
    name = f"w-{uuid.uuid4().hex[:6]}"
    client = inproc.cluster.client
    client.create("namespaces", {"metadata": {"name": name}})
    wait_for(lambda: any(c["metadata"]["name"] == ROOT_CA
                         for c in client.list("configmaps", name)["items"]))
    return name


def _cm(inproc, ns: str, name: str) -> dict:
    return inproc.cluster.client.create("configmaps", {"metadata": {"name": name}},
                                        namespace=ns)


def test_watch_from_resource_version_until_timeout(inproc, call):
    ns = _ns(inproc)
    first = _cm(inproc, ns, "a")
    _cm(inproc, ns, "b")
    started = time.monotonic()
    reply = call("GET", f"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=1"
                        f"&resourceVersion={first['metadata']['resourceVersion']}")
    assert time.monotonic() - started >= 0.9
    assert reply.status == 200
    assert reply.headers["transfer-encoding"] == "chunked"
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in _events(reply)] == [
        ("ADDED", "b")]


def test_watch_without_version_starts_with_current_state(inproc, call):
    ns = _ns(inproc)
    _cm(inproc, ns, "a")
    reply = call("GET", f"/api/v1/namespaces/{ns}/configmaps?watch=1&timeoutSeconds=1"
                        "&labelSelector=")
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in _events(reply)] == [
        ("ADDED", "a"), ("ADDED", ROOT_CA)]


def test_table_watch_sends_column_definitions_once(inproc, call):
    ns = _ns(inproc)
    _cm(inproc, ns, "a")
    _cm(inproc, ns, "b")
    reply = call("GET", f"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=1",
                 headers={"Accept": TABLE})
    events = _events(reply)
    assert [e["object"]["kind"] for e in events] == ["Table", "Table", "Table"]
    assert [c["name"] for c in events[0]["object"]["columnDefinitions"]] == [
        "Name", "Data", "Age"]
    assert events[1]["object"]["columnDefinitions"] == []
    row = events[1]["object"]["rows"][0]
    assert row["cells"][:2] == ["b", 0]
    assert row["object"]["kind"] == "PartialObjectMetadata"
    assert events[2]["object"]["rows"][0]["cells"][:2] == [ROOT_CA, 1]


def test_compacted_resource_version_is_an_error_event(inproc, call):
    ns = _ns(inproc)
    old = _cm(inproc, ns, "a")["metadata"]["resourceVersion"]
    _cm(inproc, ns, "b")
    api = inproc.cluster.api
    inproc.cluster.call(api.compact, api.store.revision)
    reply = call("GET", f"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={old}")
    assert reply.status == 200
    (event,) = _events(reply)
    assert event["type"] == "ERROR"
    status = event["object"]
    assert (status["kind"], status["code"], status["reason"]) == ("Status", 410, "Expired")
    assert status["message"].startswith(f"too old resource version: {old} (")


def _open_stream(inproc, path: str) -> ssl.SSLSocket:
    url = urlparse(inproc.url)
    context = ssl.create_default_context(cadata=inproc.server.cert.cert_pem.decode())
    sock = context.wrap_socket(socket.create_connection((url.hostname, url.port)),
                               server_hostname=url.hostname)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {url.hostname}\r\nAuthorization: Bearer "
                 f"{inproc.server.tokens.admin}\r\n\r\n".encode())
    return sock


def _watching(inproc, ns: str) -> int:
    """Engine watches on this test's namespace (other components watch too)."""
    cache = inproc.cluster.api.cache

    def count() -> int:
        return sum(1 for ws in cache._watches.values() for w in ws if f"/{ns}/" in w.prefix)

    return inproc.cluster.call(count)


def test_disconnect_stops_the_engine_watch(inproc):
    ns = _ns(inproc)
    sock = _open_stream(inproc, f"/api/v1/namespaces/{ns}/configmaps?watch=true")
    assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    wait_for(lambda: _watching(inproc, ns) == 1)
    _cm(inproc, ns, "live")
    sock.close()
    wait_for(lambda: _watching(inproc, ns) == 0)


def test_bookmarks_when_asked(inproc):
    ns = _ns(inproc)
    sock = _open_stream(inproc, f"/api/v1/namespaces/{ns}/configmaps?watch=true"
                                "&allowWatchBookmarks=true")
    try:
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        inproc.cluster.call(inproc.cluster.api.cache.send_bookmarks)
        # The stream opens with the namespace's kube-root-ca.crt (ADDED);
        # the bookmark follows it.
        data = b""
        sock.settimeout(5)
        while b'"type":"BOOKMARK"' not in data:
            chunk = sock.recv(65536)
            assert chunk, data
            data += chunk
    finally:
        sock.close()
