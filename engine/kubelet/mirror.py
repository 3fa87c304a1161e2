"""Mirror pods: the API's view of a node's static pods.

Upstream: ``pkg/kubelet/pod/mirror_client.go``. A mirror pod (annotation
``kubernetes.io/config.mirror``) is owned by its Node, so it goes when the
node is deleted. The bootstrap creates the control plane's mirror pods
before the kubelet has registered the node; the kubelet then adds the owner
reference, as its mirror client does when it (re)creates a mirror pod.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.bootstrap.control_plane import mirror_owner

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet

Obj = dict[str, Any]

MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def is_mirror(pod: Obj) -> bool:
    return MIRROR_ANNOTATION in (pod["metadata"].get("annotations") or {})


def ensure_owner(kubelet: Kubelet, pod: Obj) -> None:
    """Give a mirror pod without an owner its Node as owner."""
    if not is_mirror(pod) or pod["metadata"].get("ownerReferences"):
        return  # most pods: no need to look the node up
    node = kubelet.current_node()
    if node is None:
        return
    owner = mirror_owner(kubelet.name, node["metadata"]["uid"])
    body = {"metadata": {"ownerReferences": [owner],
                         "resourceVersion": pod["metadata"]["resourceVersion"]}}
    try:
        kubelet.client.patch("pods", pod["metadata"]["name"], body,
                             "application/merge-patch+json",
                             namespace=pod["metadata"]["namespace"])
    except errors.StatusError as err:
        kubelet.log.info("mirror pod owner not set: %s", err)
