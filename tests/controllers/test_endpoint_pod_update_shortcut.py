"""Pod updates in a namespace where no Service has a selector return before
comparing what changed: the Endpoints and EndpointSlice controllers must
trigger the same syncs as the plain ``updatePod`` (relevance, then the old
and new pods' Services) for random pods and Services."""

from __future__ import annotations

import random
from typing import Any

import pytest

from engine.controllers.endpoint import podindex
from engine.controllers.endpoint.controller import EndpointController
from engine.controllers.endpointslice.controller import EndpointSliceController
from engine.runtime.keys import meta_namespace_key

Obj = dict[str, Any]


class _Services:
    def __init__(self, services: list[Obj]) -> None:
        self.services = services

    def list(self, namespace: str = "") -> list[Obj]:
        return [s for s in self.services if s["metadata"]["namespace"] == namespace]


class _Recorder:
    """Stands in for a controller: its service lister, and the syncs it asks for."""

    def __init__(self, services: _Services) -> None:
        self.service_lister = services
        self.triggered: list[str] = []

    def _trigger(self, key: str, delay: float = 0.0) -> None:
        self.triggered.append(key)

    def _pod(self, pod: Obj | None) -> None:
        EndpointSliceController._pod(self, pod)  # type: ignore[arg-type]


def _plain(services: _Services, old: Obj, new: Obj) -> set[str]:
    if podindex._pod_relevant(old) == podindex._pod_relevant(new):
        return set()
    return {meta_namespace_key(s) for pod in (old, new)
            for s in podindex.services_for_pod(services, pod)}


def _pod(rng: random.Random, ns: str) -> Obj:
    labels = {k: rng.choice("xy") for k in rng.sample("ab", rng.randrange(3))}
    status: Obj = {"phase": rng.choice(["Pending", "Running"])}
    if rng.random() < 0.5:
        status["podIP"] = "10.0.0.1"
    return {"metadata": {"name": "p", "namespace": ns, "labels": labels},
            "spec": {"nodeName": rng.choice(["", "n1"])}, "status": status}


def _service(rng: random.Random, i: int) -> Obj:
    spec: Obj = {}
    if rng.random() < 0.5:
        spec["selector"] = {k: rng.choice("xy") for k in rng.sample("ab", rng.randrange(3))}
    return {"metadata": {"name": f"s{i}", "namespace": rng.choice(["a", "b"])}, "spec": spec}


@pytest.mark.parametrize("seed", range(5))
def test_pod_updates_trigger_what_the_plain_handler_triggers(seed: int) -> None:
    rng = random.Random(seed)
    hits = 0
    for _ in range(400):
        services = _Services([_service(rng, i) for i in range(rng.randrange(4))])
        ns = rng.choice(["a", "b"])
        old, new = _pod(rng, ns), _pod(rng, ns)
        expected = _plain(services, old, new)
        hits += bool(expected)
        for handler in (EndpointController._pod_updated, EndpointSliceController._pod_updated):
            fake = _Recorder(services)
            handler(fake, old, new)  # type: ignore[arg-type]
            assert set(fake.triggered) == expected
    assert hits > 20
