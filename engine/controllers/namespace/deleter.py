"""Emptying a Terminating namespace.

Upstream: ``pkg/controller/namespace/deletion/namespaced_resources_deleter.go``
(``Delete``, ``deleteAllContent``, ``deleteAllContentForGroupVersionResource``,
``estimateGracefulTerminationForPods``, ``finalizeNamespace``): for every
namespaced resource that can be deleted, delete the collection (Background
propagation), then list what is left. Pods still terminating give an
estimate (their longest grace period); objects held by finalizers give 15 s.
Once nothing is left the ``kubernetes`` finalizer is removed through
``namespaces/finalize`` and the API server removes the namespace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from engine.api import errors, resources
from engine.controllers.namespace import conditions

Obj = dict[str, Any]
log = logging.getLogger(__name__)

FINALIZER_TOKEN = "kubernetes"
# finalizerEstimateSeconds: the wait when only finalizers keep objects alive.
FINALIZER_ESTIMATE_SECONDS = 15


class ResourcesRemaining(Exception):
    """``ResourcesRemainingError``: look again in about ``estimate`` seconds."""

    def __init__(self, estimate: int) -> None:
        super().__init__(f"some content remains in the namespace, estimate {estimate} seconds")
        self.estimate = estimate


@dataclass
class _Totals:
    estimate: int = 0
    remaining: dict[str, int] = field(default_factory=dict)
    finalizers: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def namespaced_deletable() -> list[resources.ResourceInfo]:
    """Discovery: namespaced resources supporting delete (one per storage)."""
    seen: set[str] = set()
    out = []
    for info in resources.RESOURCES:
        if not info.namespaced or "delete" not in info.verbs or info.key_prefix in seen:
            continue
        seen.add(info.key_prefix)
        out.append(info)
    return out


class NamespacedResourcesDeleter:
    """``namespacedResourcesDeleter``."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def delete(self, name: str) -> None:
        """``Delete``: raises :class:`ResourcesRemaining` while content is left."""
        try:
            ns = self.client.get("namespaces", name)
        except errors.StatusError as err:
            if err.code == 404:
                return
            raise
        if "deletionTimestamp" not in ns["metadata"] or _finalized(ns):
            return
        estimate = self.delete_all_content(ns)
        if estimate > 0:
            raise ResourcesRemaining(estimate)
        self.finalize(ns)

    def delete_all_content(self, ns: Obj) -> int:
        """``deleteAllContent``: the longest estimate over every resource."""
        name = ns["metadata"]["name"]
        totals = _Totals()
        for info in namespaced_deletable():
            try:
                self._delete_resource(info, name, totals)
            except errors.StatusError as err:
                totals.errors.append(str(err))
            except RuntimeError as err:
                totals.errors.append(str(err))
        self._write_conditions(ns, totals)
        if totals.errors:
            raise RuntimeError("; ".join(totals.errors))
        return totals.estimate

    def _delete_resource(self, info: resources.ResourceInfo, ns: str, totals: _Totals) -> None:
        """``deleteAllContentForGroupVersionResource``."""
        estimate = self._estimate_pods(ns) if info.plural == "pods" and not info.group else 0
        totals.estimate = max(totals.estimate, estimate)
        if "deletecollection" in info.verbs:
            self.client.delete_collection(info, ns, propagation_policy="Background")
        else:
            for obj in self.client.list(info, ns)["items"]:
                self._delete_one(info, ns, obj)
        items = self.client.list(info, ns)["items"]
        if not items:
            return
        key = f"{info.plural}.{info.group}"
        totals.remaining[key] = totals.remaining.get(key, 0) + len(items)
        held: dict[str, int] = {}
        for obj in items:
            for fin in obj["metadata"].get("finalizers") or ():
                held[fin] = held.get(fin, 0) + 1
        for fin, n in held.items():
            totals.finalizers[fin] = totals.finalizers.get(fin, 0) + n
        if estimate:
            return
        if held:
            totals.estimate = max(totals.estimate, FINALIZER_ESTIMATE_SECONDS)
            return
        raise RuntimeError(f"unexpected items still remain in namespace: {ns} for gvr: "
                           f"{info.group}/{info.version}, Resource={info.plural}")

    def _delete_one(self, info: resources.ResourceInfo, ns: str, obj: Obj) -> None:
        try:
            self.client.delete(info, obj["metadata"]["name"], namespace=ns,
                               propagation_policy="Background")
        except errors.StatusError as err:
            if err.code not in (404, 405):
                raise

    def _estimate_pods(self, ns: str) -> int:
        """``estimateGracefulTerminationForPods``: the longest grace period left."""
        estimate = 0
        for pod in self.client.list("pods", ns)["items"]:
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            grace = (pod.get("spec") or {}).get("terminationGracePeriodSeconds")
            if isinstance(grace, int):
                estimate = max(estimate, grace)
        return estimate

    def _write_conditions(self, ns: Obj, totals: _Totals) -> None:
        now = self.client.clock.rfc3339()
        new = conditions.content_conditions(totals.remaining, totals.finalizers,
                                            totals.errors, now)
        status = ns.setdefault("status", {})
        if conditions.update_conditions(status, new, now):
            try:
                ns.update(self.client.update_status("namespaces", ns))
            except errors.StatusError as err:
                log.warning("couldn't update status condition for namespace %q: %s",
                            ns["metadata"]["name"], err)

    def finalize(self, ns: Obj) -> None:
        """``finalizeNamespace``: ``kubernetes`` out of spec.finalizers via /finalize."""
        for _ in range(5):
            spec = ns.setdefault("spec", {})
            spec["finalizers"] = sorted({f for f in spec.get("finalizers") or ()
                                         if f != FINALIZER_TOKEN})
            try:
                self.client.update("namespaces", ns, subresource="finalize")
                return
            except errors.StatusError as err:
                if err.code == 404:
                    return
                if err.code != 409:
                    raise
            ns = self.client.get("namespaces", ns["metadata"]["name"])


def _finalized(ns: Obj) -> bool:
    return not (ns.get("spec") or {}).get("finalizers")
