"""The Endpoints controller: one Endpoints object per selecting Service.

Upstream: ``pkg/controller/endpoint/endpoints_controller.go``. ``syncService``:
the Service gone deletes its Endpoints; a Service without a selector is left
alone (its Endpoints are the user's, like ``default/kubernetes``, which the
API server keeps); otherwise the subsets are computed from the selected pods
(ready pods as addresses, not-ready ones as notReadyAddresses, terminating
ones dropped), labelled from the Service (plus ``service.kubernetes.io/headless``)
and written only when they changed, stamped with
``endpoints.kubernetes.io/last-change-trigger-time``.
"""

from __future__ import annotations

import logging
from typing import Any

from engine.api import errors
from engine.controllers.endpoint.podindex import (
    POD_LABEL_INDEX,
    may_select_pods_in,
    pod_label_index,
    pod_relevant,
    pods_for_selector,
    services_for_pod,
)
from engine.controllers.endpoint.subsets import compute_subsets, truncate
from engine.events.recorder import EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key
from engine.runtime.handlers import EventHandlerFuncs
from engine.runtime.keys import meta_namespace_key, tombstone_object

Obj = dict[str, Any]
log = logging.getLogger(__name__)

TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
HEADLESS_LABEL = "service.kubernetes.io/headless"
COMPONENT = "endpoint-controller"
# EndpointUpdatesBatchPeriod: pod changes within this many seconds make one
# sync of each Service (upstream's flag defaults to 0; kubelets report pods in
# bursts, and one write per burst is what a loaded cluster's batching gives).
POD_BATCH_PERIOD = 0.1


class EndpointController(Controller):
    """``endpoint.Controller``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client.clock, name="endpoint", workers=workers)
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        svc_informer = factory.informer_for("services")
        pod_informer = factory.informer_for("pods", indexers={POD_LABEL_INDEX: pod_label_index})
        ep_informer = factory.informer_for("endpoints")
        self.service_lister = svc_informer.lister()
        self.pod_indexer = pod_informer.get_indexer()
        self.endpoints_lister = ep_informer.lister()
        self.informers += [svc_informer, pod_informer, ep_informer]
        self._triggers: dict[str, float] = {}
        svc_informer.add_event_handler(EventHandlerFuncs(
            on_add=self._service_changed, on_update=lambda _o, n: self._service_changed(n),
            on_delete=self._service_deleted))
        pod_informer.add_event_handler(EventHandlerFuncs(
            on_add=self._pod_added, on_update=self._pod_updated, on_delete=self._pod_deleted))

    # -- event handlers ------------------------------------------------------------------
    def _trigger(self, key: str, delay: float = 0.0) -> None:
        self._triggers.setdefault(key, self.clock.now())
        self.queue.add_after(key, delay)

    def _service_changed(self, svc: Obj) -> None:
        self._trigger(meta_namespace_key(svc))

    def _service_deleted(self, obj: Any) -> None:
        svc = tombstone_object(obj)
        if svc is not None:
            self._trigger(meta_namespace_key(svc))

    def _pod_added(self, pod: Obj) -> None:
        for svc in services_for_pod(self.service_lister, pod):
            self._trigger(meta_namespace_key(svc), POD_BATCH_PERIOD)

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        """``updatePod``: services of the old and new labels, if anything relevant moved."""
        if not may_select_pods_in(self.service_lister, new["metadata"].get("namespace") or ""):
            return
        if pod_relevant(old) == pod_relevant(new):
            return
        keys = {meta_namespace_key(s) for s in services_for_pod(self.service_lister, new)}
        keys |= {meta_namespace_key(s) for s in services_for_pod(self.service_lister, old)}
        for key in keys:
            self._trigger(key, POD_BATCH_PERIOD)

    def _pod_deleted(self, obj: Any) -> None:
        pod = tombstone_object(obj)
        if pod is not None:
            self._pod_added(pod)

    # -- sync ------------------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        """``syncService``."""
        ns, name = split_meta_namespace_key(key)
        trigger = self._triggers.pop(key, None)
        svc = self.service_lister.get(ns, name)
        if svc is None:
            self._delete(ns, name)
            return None
        selector = (svc.get("spec") or {}).get("selector")
        if selector is None:
            return None
        pods = pods_for_selector(self.pod_indexer, ns, selector)
        subsets, truncated = truncate(compute_subsets(svc, pods))
        self._write(svc, subsets, truncated, trigger)
        return None

    def _delete(self, ns: str, name: str) -> None:
        try:
            self.client.delete("endpoints", name, namespace=ns)
        except errors.StatusError as err:
            if err.code != 404:
                raise

    def _write(self, svc: Obj, subsets: list[Obj], truncated: bool,
               trigger: float | None) -> None:
        m = svc["metadata"]
        current = self.endpoints_lister.get(m.get("namespace"), m["name"])
        labels = desired_labels(svc)
        if current is not None and _unchanged(current, subsets, labels, truncated):
            return
        ep = _desired(current, svc, subsets, labels, truncated)
        if trigger is not None:
            ep["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = self.clock.rfc3339(trigger)
        try:
            if current is None:
                self.client.create("endpoints", ep, namespace=m.get("namespace"))
            else:
                self.client.update("endpoints", ep, namespace=m.get("namespace"))
        except errors.StatusError as err:
            if err.reason == "AlreadyExists" or err.code == 409:
                self.queue.add_rate_limited(meta_namespace_key(svc))
                return
            verb = "create" if current is None else "update"
            self.recorder.event(svc, "Warning", f"FailedTo{verb.title()}Endpoint",
                                f"Failed to {verb} endpoint {m.get('namespace')}/{m['name']}: "
                                f"{err}")
            raise


def desired_labels(svc: Obj) -> Obj:
    labels = dict(svc["metadata"].get("labels") or {})
    if (svc.get("spec") or {}).get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    return labels


def _unchanged(current: Obj, subsets: list[Obj], labels: Obj, truncated: bool) -> bool:
    annotations = current["metadata"].get("annotations") or {}
    return ((current.get("subsets") or []) == subsets
            and (current["metadata"].get("labels") or {}) == labels
            and (OVER_CAPACITY in annotations) == truncated)


def _desired(current: Obj | None, svc: Obj, subsets: list[Obj], labels: Obj,
             truncated: bool) -> Obj:
    m = svc["metadata"]
    meta: Obj = {"name": m["name"], "namespace": m.get("namespace", "")}
    annotations: Obj = {}
    if current is not None:
        meta = dict(current["metadata"])
        annotations = dict(meta.get("annotations") or {})
    annotations.pop(OVER_CAPACITY, None)
    if truncated:
        annotations[OVER_CAPACITY] = "truncated"
    meta["annotations"] = annotations
    meta["labels"] = labels
    ep: Obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta}
    if subsets:
        ep["subsets"] = subsets
    return ep
