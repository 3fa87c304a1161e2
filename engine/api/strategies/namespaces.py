"""Namespaces (upstream ``pkg/registry/core/namespace/strategy.go``).

Create starts the status at ``Active`` and ensures the ``kubernetes``
finalizer is in ``spec.finalizers`` (the namespace controller removes it, via
``/finalize``, once the namespace is empty). Namespaces have no generation.

A main-resource update keeps ``spec.finalizers`` from the stored object; only
``/finalize`` (:class:`NamespaceFinalizeStrategy`) may change them.
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

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        _keep_finalizers(new, old)


class NamespaceFinalizeStrategy(StatusStrategy):
    """``namespaceFinalizeStrategy``: only ``spec.finalizers`` changes."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        finalizers = (new.get("spec") or {}).get("finalizers")
        meta = new.get("metadata", {})
        new.clear()
        new.update({k: v for k, v in old.items() if k != "spec"})
        new["metadata"] = dict(old.get("metadata", {}))
        if "resourceVersion" in meta:
            new["metadata"]["resourceVersion"] = meta["resourceVersion"]
        spec = dict(old.get("spec") or {})
        if finalizers:
            spec["finalizers"] = list(finalizers)
        else:
            spec.pop("finalizers", None)
        new["spec"] = spec

    def validate_update(self, new: Obj, old: Obj) -> list:
        return []


def _keep_finalizers(new: Obj, old: Obj) -> None:
    old_finalizers = (old.get("spec") or {}).get("finalizers")
    spec = new.get("spec")
    if not isinstance(spec, dict):
        spec = new["spec"] = {}
    if old_finalizers is None:
        spec.pop("finalizers", None)
    else:
        spec["finalizers"] = old_finalizers


class NamespaceStatusStrategy(StatusStrategy):
    """``namespaceStatusStrategy``: the spec is the stored one."""

    kept_metadata = ()


NamespaceStrategy.status_class = NamespaceStatusStrategy

STRATEGIES = {("", "namespaces"): NamespaceStrategy}
