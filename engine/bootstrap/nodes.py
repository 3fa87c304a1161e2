"""Node objects as a kubelet registers them, and the names kind gives them.

Upstream: pkg/kubelet/kubelet_node_status.go (initialNode, the default
labels and conditions with their reasons and messages) and kubeadm's
control-plane label and taint (cmd/kubeadm/app/constants).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]

KUBERNETES_VERSION = "v1.32.0"
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"
CONTROL_PLANE_TAINT = {"key": CONTROL_PLANE_LABEL, "effect": "NoSchedule"}


@dataclass(frozen=True)
class NodeSpec:
    """What a simulated machine offers."""

    name: str
    index: int
    control_plane: bool = False
    cpu: str = "4"
    memory: str = "16364292Ki"
    ephemeral_storage: str = "102350Mi"
    pods: str = "110"
    zone: str = ""

    @property
    def internal_ip(self) -> str:
        """kind's docker network, 172.18.0.0/16, from .2 on."""
        n = self.index + 2
        return f"172.18.{n // 256}.{n % 256}"

    @property
    def pod_cidr(self) -> str:
        """kind's 10.244.0.0/16 split in /24s; past 256 nodes it continues in 10.245..."""
        return f"10.{244 + self.index // 256}.{self.index % 256}.0/24"


def node_names(cluster: str, control_planes: int, workers: int) -> list[NodeSpec]:
    """kind's naming: ``<cluster>-control-plane``, ``<cluster>-worker``, ``-worker2``..."""
    specs = []
    for i in range(control_planes):
        suffix = "" if i == 0 else str(i + 1)
        specs.append(NodeSpec(f"{cluster}-control-plane{suffix}", len(specs), control_plane=True))
    for i in range(workers):
        suffix = "" if i == 0 else str(i + 1)
        specs.append(NodeSpec(f"{cluster}-worker{suffix}", len(specs)))
    return specs


def node_object(spec: NodeSpec) -> Obj:
    """The Node a kubelet creates when it registers (status is written separately)."""
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": spec.name,
        "kubernetes.io/os": "linux",
    }
    if spec.zone:
        labels["topology.kubernetes.io/zone"] = spec.zone
    node_spec: Obj = {"podCIDR": spec.pod_cidr, "podCIDRs": [spec.pod_cidr]}
    if spec.control_plane:
        labels[CONTROL_PLANE_LABEL] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        node_spec["taints"] = [dict(CONTROL_PLANE_TAINT)]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": spec.name,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": node_spec,
    }


def node_status(spec: NodeSpec, now: str, identity: str) -> Obj:
    """A healthy node's status: capacity, conditions, addresses, nodeInfo."""
    resources = {
        "cpu": spec.cpu,
        "ephemeral-storage": spec.ephemeral_storage,
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": spec.memory,
        "pods": spec.pods,
    }
    return {
        "capacity": dict(resources),
        "allocatable": dict(resources),
        "conditions": ready_conditions(now),
        "addresses": [
            {"type": "InternalIP", "address": spec.internal_ip},
            {"type": "Hostname", "address": spec.name},
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": {
            "machineID": identity.replace("-", ""),
            "systemUUID": identity,
            "bootID": identity,
            "kernelVersion": "6.1.0-28-amd64",
            "osImage": "Debian GNU/Linux 12 (bookworm)",
            "containerRuntimeVersion": "containerd://1.7.24",
            "kubeletVersion": KUBERNETES_VERSION,
            "kubeProxyVersion": KUBERNETES_VERSION,
            "operatingSystem": "linux",
            "architecture": "amd64",
        },
        "images": [],
    }


def ready_conditions(now: str) -> list[Obj]:
    """The four pressure conditions and Ready, with the kubelet's wording."""
    rows = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory",
         "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    return [
        {"type": t, "status": s, "lastHeartbeatTime": now, "lastTransitionTime": now,
         "reason": r, "message": m}
        for t, s, r, m in rows
    ]
