"""The Services a fresh cluster has: ``default/kubernetes`` and ``kube-system/kube-dns``.

Upstream: kube-apiserver's bootstrap controller
(``pkg/controlplane/controller/kubernetesservice``) creates the
``kubernetes`` Service at the first address of the service CIDR and keeps
its Endpoints (and EndpointSlice) pointing at the API servers, port 6443;
kubeadm's CoreDNS addon creates ``kube-dns`` at the tenth address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api import errors
from engine.bootstrap.nodes import NodeSpec

Obj = dict[str, Any]

KUBERNETES_IP = "10.96.0.1"
KUBE_DNS_IP = "10.96.0.10"
SECURE_PORT = 6443


def kubernetes_service() -> Obj:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"type": "ClusterIP", "clusterIP": KUBERNETES_IP,
                     "clusterIPs": [KUBERNETES_IP], "sessionAffinity": "None",
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                "targetPort": SECURE_PORT}]}}


def kubernetes_endpoints(ip: str) -> Obj:
    return {"apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": ip}],
                         "ports": [{"name": "https", "port": SECURE_PORT, "protocol": "TCP"}]}]}


def kubernetes_endpoint_slice(ip: str) -> Obj:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": [ip], "conditions": {"ready": True}}],
            "ports": [{"name": "https", "port": SECURE_PORT, "protocol": "TCP"}]}


def kube_dns_service() -> Obj:
    ports = [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
             {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
             {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kube-dns", "namespace": "kube-system",
                         "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                    "kubernetes.io/name": "CoreDNS"},
                         "annotations": {"prometheus.io/port": "9153",
                                         "prometheus.io/scrape": "true"}},
            "spec": {"type": "ClusterIP", "clusterIP": KUBE_DNS_IP, "clusterIPs": [KUBE_DNS_IP],
                     "selector": {"k8s-app": "kube-dns"}, "ports": ports}}


def boot_services(client: Any, nodes: list[NodeSpec],
                  ignore_exists: Callable[[Callable[[], Any]], Any]) -> None:
    """Create the built-in Services (and the apiserver's own endpoints) once."""
    planes = [n for n in nodes if n.control_plane] or nodes
    ip = planes[0].internal_ip if planes else "127.0.0.1"
    for resource, obj in (("services", kubernetes_service()),
                          ("endpoints", kubernetes_endpoints(ip)),
                          ("endpointslices", kubernetes_endpoint_slice(ip)),
                          ("services", kube_dns_service())):
        m = obj["metadata"]
        if not _exists(client, resource, m["name"], m["namespace"]):
            ignore_exists(lambda r=resource, o=obj: client.create(r, o))


def _exists(client: Any, resource: str, name: str, namespace: str) -> bool:
    """Look before creating: a second create of a Service would be refused
    for its taken ClusterIP before the name clash is noticed."""
    try:
        client.get(resource, name, namespace)
    except errors.StatusError:
        return False
    return True
