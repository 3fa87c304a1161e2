"""A whole cluster whose controller manager surely runs the storage controllers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.cluster import Cluster, ClusterConfig
from engine.components import default_components
from engine.controllers.manager import (
    ControllerManager,
    default_controllers,
    run_controller_manager,
)

Obj = dict[str, Any]


def storage_controllers() -> dict[str, Any]:
    """The manager's controllers, with this area's ones surely among them."""
    from engine.controllers.storage_and_access import with_pending

    return {**default_controllers(), **with_pending()}


async def manager(cluster: Cluster) -> None:
    await ControllerManager(cluster, controllers=storage_controllers()).run()


@pytest.fixture
def sc() -> Iterator[Cluster]:
    components = [manager if c is run_controller_manager else c for c in default_components()]
    with Cluster(ClusterConfig(virtual=True, components=components, fsync=False)) as c:
        c.advance(1)
        yield c


def claim(name: str, size: str = "1Gi", cls: str | None = None,
          modes: tuple[str, ...] = ("ReadWriteOnce",), **spec: Any) -> Obj:
    body: Obj = {"metadata": {"name": name},
                 "spec": {"accessModes": list(modes),
                          "resources": {"requests": {"storage": size}}, **spec}}
    if cls is not None:
        body["spec"]["storageClassName"] = cls
    return body


def volume(name: str, size: str, cls: str = "", policy: str = "Retain",
           modes: tuple[str, ...] = ("ReadWriteOnce",), labels: dict | None = None) -> Obj:
    return {"metadata": {"name": name, "labels": labels or {}},
            "spec": {"capacity": {"storage": size}, "accessModes": list(modes),
                     "persistentVolumeReclaimPolicy": policy, "storageClassName": cls,
                     "hostPath": {"path": f"/data/{name}"}}}


def pod_with_claim(name: str, claim_name: str) -> Obj:
    return {"metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "image": "nginx"}],
                     "volumes": [{"name": "data",
                                  "persistentVolumeClaim": {"claimName": claim_name}}]}}


def immediate_class(name: str = "fast", provisioner: str = "rancher.io/local-path",
                    policy: str = "Delete") -> Obj:
    return {"metadata": {"name": name}, "provisioner": provisioner, "reclaimPolicy": policy,
            "volumeBindingMode": "Immediate"}


def events_for(cluster: Cluster, name: str, ns: str = "default") -> list[tuple[str, str]]:
    items = cluster.client.list("events", ns)["items"]
    return [(e["reason"], e["message"]) for e in items
            if e["involvedObject"].get("name") == name]
