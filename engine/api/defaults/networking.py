"""Defaults for ``networking.k8s.io/v1``.

Upstream: ``pkg/apis/networking/v1/defaults.go``: ``SetDefaults_NetworkPolicyPort``
(protocol ``TCP``), ``SetDefaults_NetworkPolicy`` (``policyTypes`` implied by
the rules: always ``Ingress``, plus ``Egress`` when egress rules exist) and
``SetDefaults_IngressClass`` (parameters scope ``Cluster``). Ingresses have no
defaults in v1: ``pathType`` is required.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults._util import child, ensure, items, set_if_empty, set_if_none

Obj = dict[str, Any]


def default_network_policy(obj: Obj) -> None:
    """``SetDefaults_NetworkPolicy`` and its ports."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    for direction in ("ingress", "egress"):
        for rule in items(spec, direction):
            for port in items(rule, "ports"):
                set_if_empty(port, "protocol", "TCP")
    if not spec.get("policyTypes"):
        types = ["Ingress"]
        if spec.get("egress"):
            types.append("Egress")
        spec["policyTypes"] = types


def default_ingress_class(obj: Obj) -> None:
    """``SetDefaults_IngressClass``: parameters without a scope are ``Cluster``-scoped."""
    spec = child(obj, "spec")
    params = child(spec, "parameters") if spec is not None else None
    if params is not None:
        set_if_none(params, "scope", "Cluster")


DEFAULTERS = {
    ("networking.k8s.io", "NetworkPolicy"): default_network_policy,
    ("networking.k8s.io", "IngressClass"): default_ingress_class,
}
