"""Node registration: the kubelet creates its own Node.

Upstream: ``pkg/kubelet/kubelet_node_status.go`` (``registerWithAPIServer``,
``initialNode``, ``tryRegisterWithAPIServer``). The Node is created with its
labels, the kubeadm annotations, the control-plane taint kubeadm registers
with (``--register-with-taints``), and its first status in the same request.
If it already exists (a restarted kubelet, a restarted cluster) the kubelet
keeps the stored object, re-applies its default labels and reports status.

``spec.podCIDR`` is set here: in a real cluster the node IPAM controller of
kube-controller-manager allocates it right after registration; k9py has no
node IPAM controller and uses kind's allocation (``10.244.<index>.0/24``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.bootstrap.nodes import node_object
from engine.kubelet.node_status import build_status

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet

Obj = dict[str, Any]


def register(kubelet: Kubelet) -> tuple[Obj, bool]:
    """Create the Node, or adopt the registered one; ``(node, created)``."""
    spec = kubelet.spec
    node = node_object(spec)
    node["status"] = build_status(spec, kubelet.runtime.image_list(), None,
                                  kubelet.clock.rfc3339(), lambda _event: None)
    try:
        return kubelet.client.create("nodes", node), True
    except errors.StatusError as err:
        if err.reason != "AlreadyExists":
            raise
    existing = kubelet.client.get("nodes", spec.name)
    return _reconcile_labels(kubelet, existing, node), False


def _reconcile_labels(kubelet: Kubelet, existing: Obj, wanted: Obj) -> Obj:
    """``updateDefaultLabels``: the kubelet's own labels are put back if changed."""
    labels = dict(existing["metadata"].get("labels") or {})
    ours = {k: v for k, v in wanted["metadata"]["labels"].items()
            if k.startswith(("kubernetes.io/", "beta.kubernetes.io/"))}
    if all(labels.get(k) == v for k, v in ours.items()):
        return existing
    labels.update(ours)
    updated = {**existing, "metadata": {**existing["metadata"], "labels": labels}}
    return kubelet.client.update("nodes", updated)
