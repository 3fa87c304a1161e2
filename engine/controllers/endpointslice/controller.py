"""The EndpointSlice controller: a Service's endpoints as EndpointSlices.

Upstream: ``pkg/controller/endpointslice/endpointslice_controller.go`` and
``reconciler.go``. Slices are named ``<service>-<5 random chars>``
(generateName), labelled ``kubernetes.io/service-name`` and
``endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io``,
owned by the Service (the garbage collector removes them with it), hold at
most 100 endpoints each, and one placeholder slice stands for a Service with
no endpoints. Existing slices are reused in order before new ones are made;
the surplus is deleted.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.endpoint.controller import HEADLESS_LABEL, POD_BATCH_PERIOD, TRIGGER_TIME
from engine.controllers.endpoint.podindex import (
    POD_LABEL_INDEX,
    may_select_pods_in,
    pod_label_index,
    pod_relevant,
    pods_for_selector,
    services_for_pod,
)
from engine.controllers.endpointslice.endpoints import ZONE_LABEL, chunks, desired_groups
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key
from engine.runtime.handlers import EventHandlerFuncs
from engine.runtime.keys import meta_namespace_key, tombstone_object

Obj = dict[str, Any]

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
SLICE_INDEX = "service"


def slice_service_index(obj: Obj) -> list[str]:
    """File slices this controller manages under ``<ns>/<service>``."""
    labels = obj["metadata"].get("labels") or {}
    if labels.get(MANAGED_BY_LABEL) != CONTROLLER_NAME or SERVICE_NAME_LABEL not in labels:
        return []
    return [f"{obj['metadata'].get('namespace', '')}/{labels[SERVICE_NAME_LABEL]}"]


class EndpointSliceController(Controller):
    """``endpointslice.Controller``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client.clock, name="endpointslice", workers=workers)
        self.client = client
        svc_informer = factory.informer_for("services")
        pod_informer = factory.informer_for("pods", indexers={POD_LABEL_INDEX: pod_label_index})
        slice_informer = factory.informer_for("endpointslices",
                                              indexers={SLICE_INDEX: slice_service_index})
        node_informer = factory.informer_for("nodes")
        self.service_lister = svc_informer.lister()
        self.pod_indexer = pod_informer.get_indexer()
        self.slice_indexer = slice_informer.get_indexer()
        self.node_lister = node_informer.lister()
        self.informers += [svc_informer, pod_informer, slice_informer, node_informer]
        self._triggers: dict[str, float] = {}
        svc_informer.add_event_handler(EventHandlerFuncs(
            on_add=self._service, on_update=lambda _o, n: self._service(n),
            on_delete=lambda o: self._service(tombstone_object(o))))
        pod_informer.add_event_handler(EventHandlerFuncs(
            on_add=self._pod, on_update=self._pod_updated,
            on_delete=lambda o: self._pod(tombstone_object(o))))
        slice_informer.add_event_handler(EventHandlerFuncs(
            on_update=lambda _o, n: self._slice(n),
            on_delete=lambda o: self._slice(tombstone_object(o))))

    # -- event handlers ------------------------------------------------------------------
    def _trigger(self, key: str, delay: float = 0.0) -> None:
        self._triggers.setdefault(key, self.clock.now())
        self.queue.add_after(key, delay)

    def _service(self, svc: Obj | None) -> None:
        if svc is not None:
            self._trigger(meta_namespace_key(svc))

    def _pod(self, pod: Obj | None) -> None:
        if pod is not None:
            for svc in services_for_pod(self.service_lister, pod):
                self._trigger(meta_namespace_key(svc), POD_BATCH_PERIOD)

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        if not may_select_pods_in(self.service_lister, new["metadata"].get("namespace") or ""):
            return
        if pod_relevant(old) != pod_relevant(new):
            self._pod(old)
            self._pod(new)

    def _slice(self, obj: Obj | None) -> None:
        """A managed slice changed behind our back: resync its Service."""
        for key in slice_service_index(obj) if obj is not None else []:
            self.queue.add(key)

    # -- sync ------------------------------------------------------------------------------
    def _zone(self, node_name: str | None) -> str | None:
        node = self.node_lister.get(None, node_name) if node_name else None
        return ((node or {}).get("metadata", {}).get("labels") or {}).get(ZONE_LABEL)

    async def reconcile(self, key: str) -> float | None:
        """``syncService`` then ``reconciler.reconcile``."""
        ns, name = split_meta_namespace_key(key)
        trigger = self._triggers.pop(key, None)
        svc = self.service_lister.get(ns, name)
        if svc is None or (svc.get("spec") or {}).get("selector") is None:
            return None  # the garbage collector removes slices with their Service
        pods = pods_for_selector(self.pod_indexer, ns, svc["spec"]["selector"])
        groups = desired_groups(svc, pods, self._zone)
        desired = [(ports, part) for ports, endpoints in (groups[k] for k in sorted(groups))
                   for part in chunks(endpoints)] or [([], [])]
        existing = sorted(self.slice_indexer.by_index(SLICE_INDEX, key),
                          key=lambda s: s["metadata"].get("creationTimestamp", ""))
        self._apply(svc, desired, existing, trigger)
        return None

    def _apply(self, svc: Obj, desired: list[tuple[list[Obj], list[Obj]]],
               existing: list[Obj], trigger: float | None) -> None:
        ns = svc["metadata"].get("namespace", "")
        labels = slice_labels(svc)
        for i, (ports, endpoints) in enumerate(desired):
            current = existing[i] if i < len(existing) else None
            body = self._slice_body(svc, current, ports, endpoints, labels)
            if current is not None and _same(current, body):
                continue
            if trigger is not None:
                # A new dict: the body's metadata is a shallow copy of the
                # informer's cached slice, whose annotations are read only.
                meta = body["metadata"]
                meta["annotations"] = {**(meta.get("annotations") or {}),
                                       TRIGGER_TIME: self.clock.rfc3339(trigger)}
            self._write(ns, body, current is None)
        for stale in existing[len(desired):]:
            self._delete(ns, stale["metadata"]["name"])

    def _slice_body(self, svc: Obj, current: Obj | None, ports: list[Obj],
                    endpoints: list[Obj], labels: Obj) -> Obj:
        m = svc["metadata"]
        if current is not None:
            meta = {**current["metadata"], "labels": labels}
        else:
            meta = {"generateName": f"{m['name']}-", "namespace": m.get("namespace", ""),
                    "labels": labels, "ownerReferences": [{
                        "apiVersion": "v1", "kind": "Service", "name": m["name"],
                        "uid": m.get("uid", ""), "controller": True,
                        "blockOwnerDeletion": True}]}
        return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": meta, "addressType": "IPv4", "endpoints": endpoints,
                "ports": ports}

    def _write(self, ns: str, body: Obj, create: bool) -> None:
        try:
            if create:
                self.client.create("endpointslices", body, namespace=ns)
            else:
                self.client.update("endpointslices", body, namespace=ns)
        except errors.StatusError as err:
            if err.code == 409:
                self.queue.add_rate_limited(f"{ns}/{body['metadata']['labels'][SERVICE_NAME_LABEL]}")
                return
            raise

    def _delete(self, ns: str, name: str) -> None:
        try:
            self.client.delete("endpointslices", name, namespace=ns)
        except errors.StatusError as err:
            if err.code != 404:
                raise


def slice_labels(svc: Obj) -> Obj:
    """``setEndpointSliceLabels``: the Service's labels plus ours."""
    labels = {k: v for k, v in (svc["metadata"].get("labels") or {}).items()
              if k not in (SERVICE_NAME_LABEL, MANAGED_BY_LABEL)}
    labels[SERVICE_NAME_LABEL] = svc["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
    if (svc.get("spec") or {}).get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    return labels


def _same(current: Obj, body: Obj) -> bool:
    return ((current.get("endpoints") or []) == body["endpoints"]
            and (current.get("ports") or []) == body["ports"]
            and (current["metadata"].get("labels") or {}) == body["metadata"]["labels"])
