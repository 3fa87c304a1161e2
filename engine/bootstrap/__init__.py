"""Bringing up a fresh cluster's built-in objects, idempotently, through the API.

On a restart from a state directory everything is already there, and boot
creates nothing twice.

Nodes are not created here: each node's kubelet registers its own Node, as
upstream (``engine/kubelet``). The control plane's pods are created bound to
their nodes; the kubelets adopt and run them like any bound pod.
:func:`register_node` remains for tests that run a cluster without kubelets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api import errors
from engine.bootstrap import control_plane as cp
from engine.bootstrap.nodes import NodeSpec, node_object, node_status
from engine.bootstrap.policy import ensure_policy
from engine.bootstrap.services import boot_services
from engine.bootstrap.storage import ensure_storage
from engine.client import LocalClient
from engine.clock import Clock


def ignore_exists(fn: Callable[[], Any]) -> Any:
    """Run a create, treating AlreadyExists as success."""
    try:
        return fn()
    except errors.StatusError as err:
        if err.reason != "AlreadyExists":
            raise
        return None


def boot_cluster(client: LocalClient, clock: Clock, nodes: list[NodeSpec],
                 cluster_name: str = "k9py") -> None:
    """System namespaces, priority classes and the control plane's pods."""
    for name in cp.SYSTEM_NAMESPACES:
        ignore_exists(lambda n=name: client.create("namespaces", cp.namespace(n)))
    _root_ca(client)
    _kubeadm_configmaps(client, clock, nodes, cluster_name)
    for name, value, description in cp.SYSTEM_PRIORITY_CLASSES:
        ignore_exists(lambda a=(name, value, description): client.create(
            "priorityclasses", cp.priority_class(*a)))
    _system_pods(client, clock, nodes)
    ensure_storage(client, ignore_exists)
    ensure_policy(client, ignore_exists)
    boot_services(client, nodes, ignore_exists)


def _root_ca(client: LocalClient) -> None:
    """``kube-root-ca.crt`` in the boot namespaces: kind's kube-controller-manager
    (root-ca-cert-publisher) has published them by the time the cluster is
    ready, so pods there mount their ``kube-api-access-*`` volume at once,
    whether or not this cluster runs a controller manager."""
    from engine.controllers.rootcacertpublisher.publisher import cluster_ca, root_ca_configmap

    ca = cluster_ca(client.api)
    for name in cp.SYSTEM_NAMESPACES:
        ignore_exists(lambda n=name: client.create(
            "configmaps", root_ca_configmap(ca), namespace=n,
            field_manager="kube-controller-manager"))


def _kubeadm_configmaps(client: LocalClient, clock: Clock, nodes: list[NodeSpec],
                        cluster_name: str) -> None:
    """kubeadm's and kube-apiserver's ConfigMaps, before the kube-proxy and
    CoreDNS pods that mount ``kube-proxy`` and ``coredns``."""
    from engine.bootstrap.kubeadm_configmaps import kubeadm_configmaps
    from engine.controllers.rootcacertpublisher.publisher import cluster_ca

    planes = [n.name for n in nodes if n.control_plane] or [f"{cluster_name}-control-plane"]
    for cm in kubeadm_configmaps(cluster_name, planes[0], cluster_ca(client.api),
                                 clock.rfc3339()[:10]):
        ignore_exists(lambda c=cm: client.create(
            "configmaps", c, namespace=c["metadata"]["namespace"]))


def register_node(client: LocalClient, clock: Clock, spec: NodeSpec) -> dict[str, Any]:
    """Create the Node (if new) and post a healthy status, as a kubelet does.

    For tests that run without :mod:`engine.kubelet`; a cluster's kubelets
    register their nodes themselves."""
    created = ignore_exists(lambda: client.create("nodes", node_object(spec)))
    node = created or client.get("nodes", spec.name)
    if not node.get("status", {}).get("nodeInfo"):
        node["status"] = node_status(spec, clock.rfc3339(), node["metadata"]["uid"])
        node = client.update_status("nodes", node)
    return node


def _system_pods(client: LocalClient, clock: Clock, nodes: list[NodeSpec]) -> None:
    """Static control-plane pods on the first control-plane node, and the
    kube-proxy DaemonSet and CoreDNS Deployment whose controllers make their pods."""
    planes = [n for n in nodes if n.control_plane]
    for node in planes[:1]:
        node_uid = _node_uid(client, node.name)
        for component, image, requests in cp.STATIC_PODS:
            _run_pod(client, clock, node, node.internal_ip,
                     cp.static_pod(component, image, requests, node, node_uid))
    for account in ("kube-proxy", "coredns"):
        ignore_exists(lambda a=account: client.create("serviceaccounts",
                                                      cp.service_account(a)))
    ignore_exists(lambda: client.create("daemonsets", cp.kube_proxy_daemonset()))
    ignore_exists(lambda: client.create("deployments", cp.coredns_deployment()))


def _node_uid(client: LocalClient, name: str) -> str | None:
    """The registered node's uid; None before its kubelet has registered it."""
    try:
        return client.get("nodes", name)["metadata"]["uid"]
    except errors.StatusError as err:
        if err.code != 404:
            raise
        return None


def _run_pod(client: LocalClient, clock: Clock, node: NodeSpec, ip: str,
             pod: dict[str, Any]) -> None:
    created = ignore_exists(lambda: client.create("pods", pod, namespace="kube-system"))
    if created is None:
        return
    uid_hex = created["metadata"]["uid"].replace("-", "")
    created["status"] = cp.running_status(created, node, ip, clock.rfc3339(), uid_hex)
    client.update_status("pods", created)
