"""A fixed little cluster for screenshots: made through the client on an API server
alone, so snapshots change only when k9py (or the API's defaulting) does, not when
the engine's kubelets, controllers or boot contents evolve."""

from __future__ import annotations

from typing import Any

NODES = (("k9py-control-plane", True), ("k9py-worker", False), ("k9py-worker2", False))
PODS = (
    ("default", "api-5f7d9c6b8-2x7lp", "k9py-worker", "Running", True, 1),
    ("default", "api-5f7d9c6b8-9qz4m", "k9py-worker2", "Running", False, 0),
    ("default", "redis-0", "k9py-control-plane", "Running", True, 0),
    ("default", "nginx-deployment-647677fc66-68c4b", "k9py-worker", "Running", True, 0),
    ("default", "nginx-deployment-647677fc66-fqdp9", "k9py-worker2", "Pending", False, 0),
    ("default", "batch-28913765-zq2xw", "k9py-worker", "Succeeded", False, 0),
    ("default", "crasher-7d9f8b-kk2m1", "k9py-worker2", "Running", False, 12),
)


def _node(name: str, control_plane: bool) -> dict[str, Any]:
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    spec: dict[str, Any] = {}
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        spec["taints"] = [{"key": "node-role.kubernetes.io/control-plane",
                           "effect": "NoSchedule"}]
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
            "spec": spec}


def _node_status(index: int) -> dict[str, Any]:
    return {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                            "message": "kubelet is posting ready status"}],
            "addresses": [{"type": "InternalIP", "address": f"172.18.0.{index + 2}"}],
            "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "nodeInfo": {"kubeletVersion": "v1.32.0", "osImage": "Debian GNU/Linux 12",
                         "kernelVersion": "6.1.0", "architecture": "amd64",
                         "containerRuntimeVersion": "containerd://1.7.24",
                         "operatingSystem": "linux", "machineID": "m", "systemUUID": "s",
                         "bootID": "b", "kubeProxyVersion": "v1.32.0"}}


def _pod_status(phase: str, ready: bool, restarts: int, index: int) -> dict[str, Any]:
    if phase == "Pending":
        return {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                                                    "reason": "Unschedulable"}]}
    if phase == "Succeeded":
        state: dict[str, Any] = {"terminated": {"exitCode": 0, "reason": "Completed"}}
    elif restarts > 5:
        state = {"waiting": {"reason": "CrashLoopBackOff"}}
    else:
        state = {"running": {"startedAt": "2025-01-01T00:00:00Z"}}
    return {"phase": phase, "podIP": f"10.244.{index % 3}.{index + 2}",
            "containerStatuses": [{"name": "main", "ready": ready, "restartCount": restarts,
                                   "image": "img", "imageID": "", "state": state}]}


def populate(client: Any) -> None:
    for ns in ("default",):
        try:
            client.create("serviceaccounts", {"metadata": {"name": "default"}}, namespace=ns)
        except Exception as err:  # the service account controller made it already
            if getattr(err, "code", None) != 409:
                raise
    for i, (name, cp) in enumerate(NODES):
        try:
            node = client.create("nodes", _node(name, cp))
        except Exception as err:  # registered by a kubelet already
            if getattr(err, "code", None) != 409:
                raise
            node = client.get("nodes", name)
        node["status"] = _node_status(i)
        client.update_status("nodes", node)
    for i, (ns, name, node, phase, ready, restarts) in enumerate(PODS):
        pod = client.create("pods", {"metadata": {"name": name, "labels": {"app": name[:7]}},
                                     "spec": {"nodeName": node if phase != "Pending" else None,
                                              "containers": [{"name": "main",
                                                              "image": "nginx:1.14.2"}]}},
                            namespace=ns)
        pod["status"] = _pod_status(phase, ready, restarts, i)
        client.update_status("pods", pod)
    labels = {"app": "nginx"}
    client.create("deployments", {"metadata": {"name": "nginx-deployment", "labels": labels},
                                  "spec": {"replicas": 3, "selector": {"matchLabels": labels},
                                           "template": {"metadata": {"labels": labels},
                                                        "spec": {"containers": [{
                                                            "name": "nginx",
                                                            "image": "nginx:1.14.2"}]}}}},
                  namespace="default")
