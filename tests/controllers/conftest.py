"""Fixtures for the controller tests: a cluster on a capped virtual clock
running only the controller manager (no kubelets, no scheduler), and a
stand-in kubelet that marks pods Running and Ready."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.api import errors
from engine.cluster import Cluster, ClusterConfig
from engine.controllers.manager import ControllerManager

Obj = dict[str, Any]


async def workload_controller_manager(cluster: Cluster) -> None:
    """kube-controller-manager without the node lifecycle controller (nothing
    here heartbeats the nodes, so it would taint them and evict the pods)."""
    await ControllerManager(cluster, node_lifecycle=False).run()


@pytest.fixture
def kcm() -> Iterator[Cluster]:
    """A cluster whose only component is the controller manager."""
    with Cluster(ClusterConfig(virtual=True, components=[workload_controller_manager])) as c:
        c.advance(1)  # leader election, informers synced
        yield c


def pods(cluster: Cluster, namespace: str = "default", selector: str | None = None) -> list[Obj]:
    items = cluster.client.list("pods", namespace, label_selector=selector)["items"]
    return sorted(items, key=lambda p: p["metadata"]["name"])


def mark_ready(cluster: Cluster, namespace: str = "default", selector: str | None = None,
               *, ready: bool = True) -> int:
    """Do what a kubelet would: pods go Running with Ready=True (or False).
    Returns how many pods changed."""
    changed = 0
    stamp = cluster.clock.rfc3339()
    for pod in pods(cluster, namespace, selector):
        if "deletionTimestamp" in pod["metadata"]:
            continue
        want = "True" if ready else "False"
        status = pod.setdefault("status", {})
        conds = {c["type"]: c for c in status.get("conditions") or ()}
        if status.get("phase") == "Running" and conds.get("Ready", {}).get("status") == want:
            continue
        status["phase"] = "Running"
        for kind in ("Initialized", "ContainersReady", "Ready", "PodScheduled"):
            old = conds.get(kind, {})
            value = "True" if kind in ("Initialized", "PodScheduled") else want
            since = old.get("lastTransitionTime") if old.get("status") == value else stamp
            conds[kind] = {"type": kind, "status": value, "lastProbeTime": None,
                           "lastTransitionTime": since or stamp}
        status["conditions"] = list(conds.values())
        try:
            cluster.client.update_status("pods", pod)
            changed += 1
        except errors.StatusError as err:
            if err.code not in (404, 409):
                raise
    return changed


def events(cluster: Cluster, namespace: str = "default", name: str | None = None,
           reason: str | None = None) -> list[Obj]:
    """Events in creation order, optionally about one object or of one reason."""
    items = cluster.client.list("events", namespace)["items"]
    out = [e for e in items
           if (name is None or e["involvedObject"].get("name") == name)
           and (reason is None or e["reason"] == reason)]
    return sorted(out, key=lambda e: (e["firstTimestamp"], int(e["metadata"]["resourceVersion"])))


def replica_set(name: str, replicas: int = 2, labels: dict[str, str] | None = None) -> Obj:
    labels = labels or {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "app", "image": "nginx:1.14.2"}]}}},
    }


def get(cluster: Cluster, resource: str, name: str, namespace: str = "default") -> Obj | None:
    try:
        return cluster.client.get(resource, name, namespace)
    except errors.StatusError as err:
        if err.code == 404:
            return None
        raise
