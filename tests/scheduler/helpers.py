"""Driving a cluster with kubelets and the scheduler from a test (virtual clock)."""

from __future__ import annotations

import json
from typing import Any

from engine.cluster import Cluster
from engine.scheduler.explain import ANNOTATION, from_pod

Obj = dict[str, Any]
CONTROL_PLANE = "k9py-control-plane"
WORKER = "k9py-worker"
WORKER2 = "k9py-worker2"
TAINT_MSG = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"


def pod(name: str, *, cpu: str | None = None, memory: str | None = None,
        labels: dict[str, str] | None = None, image: str = "nginx:1.14.2",
        **spec: Any) -> Obj:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    container: Obj = {"name": "app", "image": image}
    if requests:
        container["resources"] = {"requests": requests}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {"app": name}},
            "spec": {"containers": [container], **spec}}


def create(cluster: Cluster, obj: Obj, namespace: str = "default") -> Obj:
    return cluster.client.create("pods", obj, namespace=namespace)


def get(cluster: Cluster, name: str, namespace: str = "default") -> Obj:
    return cluster.client.get("pods", name, namespace)


def node_of(cluster: Cluster, name: str, namespace: str = "default") -> str:
    return get(cluster, name, namespace)["spec"].get("nodeName") or ""


def condition(obj: Obj, kind: str) -> Obj | None:
    return next((c for c in (obj.get("status") or {}).get("conditions") or ()
                 if c["type"] == kind), None)


def events(cluster: Cluster, name: str, reason: str | None = None,
           namespace: str = "default") -> list[Obj]:
    items = [e for e in cluster.client.list("events", namespace)["items"]
             if e["involvedObject"].get("name") == name
             and (reason is None or e["reason"] == reason)]
    items.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return items


def failed_message(cluster: Cluster, name: str) -> str:
    """The latest FailedScheduling message (from the pod's PodScheduled condition)."""
    cond = condition(get(cluster, name), "PodScheduled")
    assert cond is not None and cond["status"] == "False", cond
    assert cond["reason"] == "Unschedulable"
    return cond["message"]


def label_node(cluster: Cluster, node: str, labels: dict[str, str | None]) -> None:
    cluster.client.patch("nodes", node, {"metadata": {"labels": labels}},
                         "application/merge-patch+json")


def taint_node(cluster: Cluster, node: str, taints: list[Obj]) -> None:
    cluster.client.patch("nodes", node, {"spec": {"taints": taints}},
                         "application/merge-patch+json")


def annotation(obj: Obj) -> Obj | None:
    """The explanation on the pod, expanded to the in-memory record's shape."""
    return from_pod(obj)


def raw_annotation(obj: Obj) -> Obj | None:
    raw = (obj["metadata"].get("annotations") or {}).get(ANNOTATION)
    return None if raw is None else json.loads(raw)


def explain(cluster: Cluster, name: str, namespace: str = "default") -> Obj | None:
    return cluster.call(lambda: cluster.scheduler.explain(namespace, name))
