"""A whole cluster: its controller manager runs the storage controllers
(pvc-protection and the root CA publisher among them, as in
kube-controller-manager's default set)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.cluster import Cluster, ClusterConfig

Obj = dict[str, Any]


@pytest.fixture
def sc() -> Iterator[Cluster]:
    with Cluster(ClusterConfig(virtual=True, fsync=False)) as c:
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
