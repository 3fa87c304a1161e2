"""Property: random mutations of valid objects never raise anything but a
Status error, and never leave a half-written object behind."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api import errors
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store
from tests.api.mutations import json_values, mutate, paths
from tests.helpers import deployment, pod

SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}
CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"},
             "data": {"a": "1"}}
SAMPLES = [("pods", pod("web", app="web")), ("deployments", deployment("web")),
           ("services", SERVICE), ("configmaps", CONFIGMAP)]
VALUES = json_values(text_size=20)


def _server() -> APIServer:
    clock = VirtualClock()
    clock.new_event_loop()
    api = APIServer(Store(), clock)
    api.create("namespaces", {"metadata": {"name": "default"}})
    return api


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_objects_get_status_errors_only(data: st.DataObject) -> None:
    resource, sample = data.draw(st.sampled_from(SAMPLES))
    path = data.draw(st.sampled_from(paths(sample)))
    mutated = mutate(sample, path, data.draw(VALUES), data.draw(st.booleans()))
    api = _server()
    before = api.store.revision
    try:
        created = api.create(resource, mutated, namespace="default", field_validation="Strict")
    except errors.StatusError as err:
        assert 400 <= err.code < 500, err.status()
        assert api.store.revision == before, "a refused create changed the store"
        return
    again = api.get(resource, created["metadata"]["name"], "default")
    assert again == created
    # an update of the same mutation is refused cleanly or accepted; never a crash
    try:
        api.update(resource, mutate(again, path, data.draw(VALUES), False))
    except errors.StatusError as err:
        assert 400 <= err.code < 500
