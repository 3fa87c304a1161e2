"""Driving a cluster with kubelets from a test, on the virtual clock."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster

Obj = dict[str, Any]
WORKER = "k9py-worker"


def bound_pod(name: str, containers: list[Obj], node: str = WORKER,
              annotations: dict[str, str] | None = None, **spec: Any) -> Obj:
    """A pod already bound to ``node`` (no scheduler needed)."""
    meta: Obj = {"name": name, "labels": {"app": name}}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"nodeName": node, "containers": containers, **spec}}


def busybox(name: str, script: str, **extra: Any) -> Obj:
    return {"name": name, "image": "busybox:1.36", "command": ["sh", "-c", script], **extra}


def create(cluster: Cluster, pod: Obj, namespace: str = "default") -> Obj:
    return cluster.client.create("pods", pod, namespace=namespace)


def get(cluster: Cluster, name: str, namespace: str = "default") -> Obj:
    return cluster.client.get("pods", name, namespace)


def container(pod: Obj, index: int = 0, init: bool = False) -> Obj:
    key = "initContainerStatuses" if init else "containerStatuses"
    return pod["status"][key][index]


def state_of(pod: Obj, index: int = 0) -> tuple[str, str | None]:
    """(state, reason) of a container: ("running", None), ("waiting", "CrashLoopBackOff")..."""
    state = container(pod, index)["state"]
    kind = next(iter(state))
    return kind, state[kind].get("reason")


def condition(pod: Obj, kind: str) -> Obj:
    return next(c for c in pod["status"]["conditions"] if c["type"] == kind)


def events(cluster: Cluster, name: str, namespace: str = "default") -> list[tuple[str, str, str]]:
    """(type, reason, message) of the events about ``name``, oldest first."""
    items = cluster.client.list("events", namespace)["items"]
    items = [e for e in items if e["involvedObject"].get("name") == name]
    items.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [(e["type"], e["reason"], e["message"]) for e in items]


def reasons(cluster: Cluster, name: str, namespace: str = "default") -> list[str]:
    return [reason for _, reason, _ in events(cluster, name, namespace)]


def now(cluster: Cluster) -> float:
    return cluster.clock.now()


def watch_until(cluster: Cluster, predicate: Any, limit: float, step: float = 1.0) -> float:
    """Advance in ``step``s until ``predicate()`` holds; the seconds it took."""
    waited = 0.0
    while not predicate():
        if waited >= limit:
            raise AssertionError(f"condition not reached within {limit}s")
        cluster.advance(step)
        waited += step
    return waited
