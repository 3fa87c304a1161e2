"""Namespaces (upstream ``pkg/registry/core/namespace/strategy.go``).

Create starts the status at ``Active`` and ensures the ``kubernetes``
finalizer is in ``spec.finalizers`` (the namespace controller removes it, via
``/finalize``, once the namespace is empty). Namespaces have no generation.

Deviation: upstream's main-resource update keeps ``spec.finalizers`` from the
stored object, and only ``/finalize`` may change them. The API server routes
``/finalize`` through the main strategy, which cannot tell the two apart, so
here a main update may change ``spec.finalizers`` too.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults.core import default_namespace_status
from engine.api.strategies.base import StatusStrategy, Strategy

Obj = dict[str, Any]

KUBERNETES_FINALIZER = "kubernetes"


class NamespaceStrategy(Strategy):
    """``namespaceStrategy``."""

    zero_status = {"phase": "Active"}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            spec = obj["spec"] = {}
        finalizers = spec.get("finalizers")
        if not isinstance(finalizers, list):
            finalizers = spec["finalizers"] = []
        if KUBERNETES_FINALIZER not in finalizers:
            finalizers.append(KUBERNETES_FINALIZER)

    def default_status(self, obj: Obj) -> None:
        default_namespace_status(obj)


class NamespaceStatusStrategy(StatusStrategy):
    """``namespaceStatusStrategy``: the spec is the stored one."""

    kept_metadata = ()


NamespaceStrategy.status_class = NamespaceStatusStrategy

STRATEGIES = {("", "namespaces"): NamespaceStrategy}
