"""Defaults for the core (``v1``) group.

Upstream: ``pkg/apis/core/v1/defaults.go`` (``SetDefaults_Pod``,
``SetDefaults_Service``, ``SetDefaults_ReplicationController``,
``SetDefaults_Secret``, ``SetDefaults_PersistentVolume(Claim)``,
``SetDefaults_Namespace(Status)``, ``SetDefaults_NodeStatus``,
``SetDefaults_Endpoints``, ``SetDefaults_LimitRangeItem``) with
``zz_generated.defaults.go``, and the conversion effects of
``pkg/apis/core/v1/conversion.go`` that a client sees (Secret ``stringData``,
pod and node IP/CIDR list fields).
"""

from __future__ import annotations

import base64
from typing import Any

import orjson

from engine.api import jsonbytes
from engine.api.defaults._util import (
    child,
    ensure,
    items,
    resource_list,
    set_if_empty,
    set_if_none,
)
from engine.api.defaults.podspec import (
    CONTAINER_LISTS,
    default_plugin_sources,
    default_pod_spec,
    default_pvc_spec,
    default_template,
)
from engine.api.memo import LRU, MAX_KEY_BYTES

Obj = dict[str, Any]

# v1.DefaultClientIPServiceAffinitySeconds (3 hours).
CLIENT_IP_AFFINITY_SECONDS = 10800
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
_MISS: Any = object()


# -- pods ----------------------------------------------------------------------------
def default_pod(pod: Obj) -> None:
    """``SetDefaults_Pod`` + ``SetDefaults_PodSpec`` and nested defaults."""
    spec = ensure(pod, "spec")
    if spec is not None:
        encoded = jsonbytes.known(spec)
        if encoded is None:
            _default_pod_spec_memo(spec)
        else:
            pod["spec"] = _defaulted_shared_spec(spec, encoded)
    default_pod_status(pod)


# A pod spec's defaults depend on the spec alone, and the pods of one template
# (and every update of a pod, whose spec is already defaulted) send the same
# spec: its JSON bytes map to the defaulted spec's bytes, or to None when
# defaulting changes nothing.
_DEFAULTED_SPECS = LRU(512)


def _default_pod_spec_memo(spec: Obj) -> None:
    """:func:`_default_pod_spec` in place, from the memo when the spec was seen.

    The spec dict keeps its identity; a hit replaces its content with a fresh
    decoding of the remembered result, so no two pods share a subtree."""
    try:
        encoded = orjson.dumps(spec)
    except (TypeError, orjson.JSONEncodeError):
        encoded = b"null"
    if b"null" in encoded or len(encoded) > MAX_KEY_BYTES:  # NaN encodes as null too
        _default_pod_spec(spec)
        return
    found = _DEFAULTED_SPECS.get(encoded, _MISS)
    if found is _MISS:
        _default_pod_spec(spec)
        try:
            result = orjson.dumps(spec)
        except (TypeError, orjson.JSONEncodeError):
            return
        _DEFAULTED_SPECS.put(encoded, None if result == encoded else result)
    elif found is not None:
        spec.clear()
        spec.update(orjson.loads(found))


def _defaulted_shared_spec(spec: Obj, encoded: bytes) -> Obj:
    """:func:`_default_pod_spec_memo` of a spec an update shares with the
    stored object (``encoded`` are its bytes, see :mod:`jsonbytes`): the
    spec itself when defaulting changes nothing (as for every spec that was
    stored defaulted), else a defaulted copy; the shared spec is only read."""
    if b"null" in encoded or len(encoded) > MAX_KEY_BYTES:
        found = _MISS
    else:
        found = _DEFAULTED_SPECS.get(encoded, _MISS)
    if found is None:
        return spec
    if found is not _MISS:
        return orjson.loads(found)
    copy = orjson.loads(encoded)
    _default_pod_spec_memo(copy)
    return spec if orjson.dumps(copy) == encoded else copy


def _default_pod_spec(spec: Obj) -> None:
    """The spec part of ``SetDefaults_Pod`` (pod-only defaults included)."""
    default_pod_spec(spec)
    _requests_from_limits(spec)
    set_if_none(spec, "enableServiceLinks", True)
    if spec.get("hostNetwork") is True:
        _host_network_ports(spec)


def _requests_from_limits(spec: Obj) -> None:
    """Pods (not templates): a limit without a request makes the request equal."""
    for key in ("containers", "initContainers"):
        for container in items(spec, key):
            resources = child(container, "resources")
            limits = child(resources, "limits") if resources is not None else None
            if not limits:
                continue
            requests = resources.get("requests")
            if requests is None:
                requests = resources["requests"] = {}
            if isinstance(requests, dict):
                for name, value in limits.items():
                    requests.setdefault(name, value)


def _host_network_ports(spec: Obj) -> None:
    """``defaultHostNetworkPorts``: host-network pods' ports use hostPort = containerPort."""
    for key in ("containers", "initContainers"):
        for container in items(spec, key):
            for port in items(container, "ports"):
                if not port.get("hostPort"):
                    port["hostPort"] = port.get("containerPort", 0)


def default_pod_status(pod: Obj) -> None:
    """The v1 conversion of ``podIP``/``podIPs`` and ``hostIP``/``hostIPs``: the
    singular field wins when they disagree, and mirrors the list's first entry."""
    status = child(pod, "status")
    if status is None:
        return
    shared = jsonbytes.known(status) is not None  # shared with the stored object: read only
    for single, plural in (("podIP", "podIPs"), ("hostIP", "hostIPs")):
        ip = status.get(single)
        listed = status.get(plural)
        if not isinstance(listed, list):
            listed = []
        first = listed[0].get("ip") if listed and isinstance(listed[0], dict) else None
        if ip and isinstance(ip, str) and ip != first:
            change: tuple[str, Any] = (plural, [{"ip": ip}])
        elif first and not (type(ip) is str and ip == first):
            change = (single, first)
        else:
            continue  # already consistent
        if shared:
            status = pod["status"] = dict(status)
            shared = False
        status[change[0]] = change[1]


def default_pod_template(obj: Obj) -> None:
    """A ``PodTemplate``: its ``template`` gets pod template defaults."""
    template = ensure(obj, "template")
    default_template(template)


# -- replication controllers --------------------------------------------------------------
def default_replication_controller(rc: Obj) -> None:
    """``SetDefaults_ReplicationController``: selector and labels from the
    template's labels when empty, replicas 1."""
    spec = ensure(rc, "spec")
    if spec is None:
        return
    template = child(spec, "template")
    template_meta = child(template, "metadata") if template is not None else None
    labels = template_meta.get("labels") if template_meta is not None else None
    if isinstance(labels, dict):
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = ensure(rc, "metadata")
        if meta is not None and not meta.get("labels"):
            meta["labels"] = dict(labels)
    set_if_none(spec, "replicas", 1)
    default_template(template)


# -- services --------------------------------------------------------------------------
def default_service(svc: Obj) -> None:
    """``SetDefaults_Service``."""
    spec = ensure(svc, "spec")
    if spec is None:
        return
    set_if_empty(spec, "sessionAffinity", "None")
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        _client_ip_timeout(spec)
    set_if_empty(spec, "type", "ClusterIP")
    svc_type = spec["type"]
    for port in items(spec, "ports"):
        set_if_empty(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port", 0)
    externally_accessible = svc_type in ("LoadBalancer", "NodePort") or (
        svc_type == "ClusterIP" and bool(spec.get("externalIPs"))
    )
    if externally_accessible:
        set_if_empty(spec, "externalTrafficPolicy", "Cluster")
    if svc_type in ("ClusterIP", "NodePort", "LoadBalancer"):
        set_if_none(spec, "internalTrafficPolicy", "Cluster")
    if svc_type == "LoadBalancer":
        set_if_none(spec, "allocateLoadBalancerNodePorts", True)
        _load_balancer_ip_mode(svc)


def _client_ip_timeout(spec: Obj) -> None:
    config = child(spec, "sessionAffinityConfig")
    client_ip = child(config, "clientIP") if config is not None else None
    if client_ip is None or client_ip.get("timeoutSeconds") is None:
        spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": CLIENT_IP_AFFINITY_SECONDS}}


def _load_balancer_ip_mode(svc: Obj) -> None:
    """LoadBalancerIPMode (beta, on): ingress points with an IP get ``ipMode: VIP``."""
    status = child(svc, "status")
    lb = child(status, "loadBalancer") if status is not None else None
    if lb is None:
        return
    for ingress in items(lb, "ingress"):
        if ingress.get("ip") and ingress.get("ipMode") is None:
            ingress["ipMode"] = "VIP"


# -- namespaces and nodes -----------------------------------------------------------------
def default_namespace(ns: Obj) -> None:
    """``SetDefaults_Namespace`` (the ``kubernetes.io/metadata.name`` label) and
    ``SetDefaults_NamespaceStatus`` (phase ``Active``)."""
    meta = ensure(ns, "metadata")
    if meta is not None and meta.get("name") and isinstance(meta["name"], str):
        labels = ensure(meta, "labels")
        if labels is not None:
            labels[NAMESPACE_NAME_LABEL] = meta["name"]
    default_namespace_status(ns)


def default_namespace_status(ns: Obj) -> None:
    status = ensure(ns, "status")
    if status is not None:
        set_if_empty(status, "phase", "Active")


def default_node(node: Obj) -> None:
    """Node spec conversion (``podCIDR`` <-> ``podCIDRs``) and status defaults."""
    spec = child(node, "spec")
    if spec is not None:
        cidrs = spec.get("podCIDRs")
        if not cidrs and spec.get("podCIDR"):
            spec["podCIDRs"] = [spec["podCIDR"]]
        elif isinstance(cidrs, list) and cidrs:
            spec["podCIDR"] = cidrs[0]
    default_node_status(node)


def default_node_status(node: Obj) -> None:
    """``SetDefaults_NodeStatus``: allocatable copies capacity when unset."""
    status = child(node, "status")
    if status is None:
        return
    resource_list(status, "capacity")
    if status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])
    resource_list(status, "allocatable")


# -- storage -----------------------------------------------------------------------------
def default_persistent_volume(pv: Obj) -> None:
    """``SetDefaults_PersistentVolume``: reclaim policy ``Retain``, volume mode
    ``Filesystem``, status phase ``Pending``."""
    spec = ensure(pv, "spec")
    if spec is not None:
        set_if_empty(spec, "persistentVolumeReclaimPolicy", "Retain")
        set_if_none(spec, "volumeMode", "Filesystem")
        resource_list(spec, "capacity")
        default_plugin_sources(spec)
    default_persistent_volume_status(pv)


def default_persistent_volume_status(pv: Obj) -> None:
    status = ensure(pv, "status")
    if status is not None:
        set_if_empty(status, "phase", "Pending")


def default_persistent_volume_claim(pvc: Obj) -> None:
    """``SetDefaults_PersistentVolumeClaim`` (status phase ``Pending``) and its spec."""
    default_pvc_spec(ensure(pvc, "spec"))
    default_persistent_volume_claim_status(pvc)


def default_persistent_volume_claim_status(pvc: Obj) -> None:
    status = ensure(pvc, "status")
    if status is not None:
        set_if_empty(status, "phase", "Pending")
        resource_list(status, "capacity")
        resource_list(status, "allocatedResources")


# -- config and policy ----------------------------------------------------------------------
def default_secret(secret: Obj) -> None:
    """``SetDefaults_Secret`` (type ``Opaque``) and the v1 conversion that
    merges ``stringData`` into ``data`` (base64) and drops it."""
    set_if_empty(secret, "type", "Opaque")
    string_data = secret.get("stringData")
    if isinstance(string_data, dict) and string_data:
        data = secret.get("data")
        if not isinstance(data, dict):
            data = secret["data"] = {}
        for key, value in string_data.items():
            if isinstance(value, str):
                data[key] = base64.b64encode(value.encode()).decode()
    if isinstance(string_data, dict) or string_data is None:
        secret.pop("stringData", None)


def default_endpoints(ep: Obj) -> None:
    """``SetDefaults_Endpoints``: ports' protocol ``TCP``."""
    for subset in items(ep, "subsets"):
        for port in items(subset, "ports"):
            set_if_empty(port, "protocol", "TCP")


def default_limit_range(lr: Obj) -> None:
    """``SetDefaults_LimitRangeItem`` for each item, and the quantities."""
    spec = child(lr, "spec")
    if spec is None:
        return
    for item in items(spec, "limits"):
        for key in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            resource_list(item, key)
        if item.get("type") == "Container":
            _limit_range_container(item)


def _limit_range_container(item: Obj) -> None:
    """A default limit falls back to the max; a default request to the default
    limit, then to the min. (Empty maps are omitted, as Go serialises them.)"""
    limits = _copy_map(item.get("default"))
    requests = _copy_map(item.get("defaultRequest"))
    _fill(limits, item.get("max"))
    _fill(requests, limits)
    _fill(requests, item.get("min"))
    if limits:
        item["default"] = limits
    if requests:
        item["defaultRequest"] = requests


def _copy_map(value: Any) -> Obj:
    return dict(value) if isinstance(value, dict) else {}


def _fill(target: Obj, source: Any) -> None:
    if isinstance(source, dict):
        for name, value in source.items():
            target.setdefault(name, value)


def default_resource_quota(quota: Obj) -> None:
    """Quotas have no defaults beyond their resource lists."""
    spec = child(quota, "spec")
    if spec is not None:
        resource_list(spec, "hard")
    status = child(quota, "status")
    if status is not None:
        resource_list(status, "hard")
        resource_list(status, "used")


DEFAULTERS = {
    ("", "Pod"): default_pod,
    ("", "PodTemplate"): default_pod_template,
    ("", "ReplicationController"): default_replication_controller,
    ("", "Service"): default_service,
    ("", "Namespace"): default_namespace,
    ("", "Node"): default_node,
    ("", "PersistentVolume"): default_persistent_volume,
    ("", "PersistentVolumeClaim"): default_persistent_volume_claim,
    ("", "Secret"): default_secret,
    ("", "Endpoints"): default_endpoints,
    ("", "LimitRange"): default_limit_range,
    ("", "ResourceQuota"): default_resource_quota,
}

__all__ = ["CONTAINER_LISTS", "DEFAULTERS"]
