"""``create(..., owned=True)``: an in-process caller hands its body over and the
API server uses it without copying; the result is the same as with the copy,
and without the flag the caller's body is left as it was."""

from __future__ import annotations

import copy

import orjson

from engine.api import meta
from engine.api.server import APIServer
from engine.client import LocalClient
from engine.clock import VirtualClock
from engine.controllers.replicaset.podcontrol import pod_from_template
from engine.store import Store
from tests.helpers import pod


def _server() -> APIServer:
    api = APIServer(Store(), VirtualClock(), identity=meta.IdentitySource(seed=3))
    api.create("namespaces", {"metadata": {"name": "default"}})
    return api


def _body(i: int) -> dict:
    owner = {"metadata": {"name": "web-1", "namespace": "default", "uid": "u-1"}}
    ref = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u-1",
           "controller": True, "blockOwnerDeletion": True}
    template = {"metadata": {"labels": {"app": "web"}, "annotations": {"n": str(i)}},
                "spec": pod("x")["spec"]}
    return pod_from_template(template, owner, ref)


def test_owned_bodies_store_what_copied_ones_do() -> None:
    copied, owned = _server(), _server()
    for i in range(3):
        a = copied.create("pods", _body(i), namespace="default", field_manager="m")
        body = _body(i)
        b = owned.create("pods", body, namespace="default", field_manager="m", owned=True)
        assert orjson.dumps(a) == orjson.dumps(b)
    assert owned.store.revision == copied.store.revision
    stored = [kv.value for kv in copied.store.range("/registry/pods/")[0]]
    assert len(stored) == 3
    assert stored == [kv.value for kv in owned.store.range("/registry/pods/")[0]]


def test_without_the_flag_the_body_is_copied() -> None:
    api = _server()
    body = _body(0)
    before = copy.deepcopy(body)
    created = LocalClient(api).create("pods", body, namespace="default")
    assert body == before and created is not body
    handed = _body(1)
    created = LocalClient(api).create("pods", handed, namespace="default", owned=True)
    assert created is handed  # taken as it is
