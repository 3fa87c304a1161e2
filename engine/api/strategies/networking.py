"""Ingresses, IngressClasses and NetworkPolicies (upstream
``pkg/registry/networking/{ingress,ingressclass,networkpolicy}/strategy.go``):
all start at generation 1 and bump it on spec changes; an Ingress starts with
status ``{loadBalancer: {}}`` and keeps it on main-resource writes.
"""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import Strategy
from engine.api.strategies.workloads import SpecOnlyStatusStrategy

Obj = dict[str, Any]


class IngressStrategy(Strategy):
    """``ingressStrategy``."""

    zero_status = {"loadBalancer": {}}
    status_class = SpecOnlyStatusStrategy


STRATEGIES = {("networking.k8s.io", "ingresses"): IngressStrategy}
