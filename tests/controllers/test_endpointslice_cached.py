"""The EndpointSlice controller never writes into its informer's cached slice.

Informer objects are shared read only (client-go's contract; the API server's
watch cache hands the same object to every watcher, engine/api/watchcache.py).
The trigger-time annotation used to be set in the cached slice's own
``annotations`` dict through a shallow copy of its metadata.
"""

from __future__ import annotations

import copy
from typing import Any

from engine.controllers.endpoint.controller import TRIGGER_TIME
from engine.controllers.endpointslice.controller import EndpointSliceController


class _Clock:
    def rfc3339(self, when: float) -> str:
        return "2025-01-01T00:00:07Z"


def test_a_triggered_update_leaves_the_cached_slice_alone() -> None:
    svc = {"metadata": {"name": "web", "namespace": "default", "uid": "u1", "labels": {}}}
    cached = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
              "metadata": {"name": "web-abc", "namespace": "default", "resourceVersion": "5",
                           "labels": {"kubernetes.io/service-name": "web"},
                           "annotations": {TRIGGER_TIME: "2025-01-01T00:00:01Z"}},
              "addressType": "IPv4", "endpoints": [], "ports": []}
    before = copy.deepcopy(cached)
    written: list[dict[str, Any]] = []
    controller = EndpointSliceController.__new__(EndpointSliceController)
    controller.clock = _Clock()
    controller._write = lambda ns, body, create: written.append(body)  # type: ignore[method-assign]
    controller._delete = lambda ns, name: None  # type: ignore[method-assign]
    endpoints = [{"addresses": ["10.244.1.5"], "conditions": {"ready": True}}]
    controller._apply(svc, [([], endpoints)], [cached], trigger=7.0)
    assert cached == before
    assert written[0]["metadata"]["annotations"][TRIGGER_TIME] == "2025-01-01T00:00:07Z"
