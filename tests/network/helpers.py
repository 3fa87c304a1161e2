"""Manifests for the network tests."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def service(name: str, selector: Obj | None = None, **spec: Any) -> Obj:
    body: Obj = {"ports": [{"name": "http", "port": 80, "targetPort": 80}], **spec}
    if selector is not None:
        body["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def web_pod(name: str, app: str = "web", annotations: Obj | None = None) -> Obj:
    """An nginx pod with an HTTP readiness probe on port 80."""
    probe = {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 2}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"app": app},
                         "annotations": annotations or {}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2",
                                     "ports": [{"name": "http", "containerPort": 80}],
                                     "readinessProbe": probe}]}}


def flapping_pod(name: str, app: str = "flap") -> Obj:
    """Ready, then not ready from 40 s to 80 s after start, then ready again
    (an exec readiness probe on a file the container removes and restores)."""
    script = ("touch /tmp/ready; sleep 40; rm -f /tmp/ready; sleep 40; touch /tmp/ready; "
              "sleep 3600")
    probe = {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 2}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"app": app}},
            "spec": {"containers": [{"name": "app", "image": "busybox:1.36",
                                     "command": ["sh", "-c", script],
                                     "ports": [{"name": "http", "containerPort": 80}],
                                     "readinessProbe": probe}]}}


def addresses(ep: Obj, key: str = "addresses") -> list[str]:
    return sorted(a["targetRef"]["name"] for s in ep.get("subsets") or [] for a in s.get(key, []))
