"""The pod garbage collector's node-related passes (``pod-garbage-collector``).

Upstream: ``pkg/controller/podgc/gc_controller.go``. Every 20 s:

* ``gcOrphaned``: a pod bound to a node that no longer exists (and has been
  gone for the 40 s quarantine) gets the ``DisruptionTarget`` condition
  (``DeletionByPodGC``, "PodGC: node no longer exists") and is deleted with
  grace period 0 - what happens to a removed node's pods;
* ``gcUnscheduledTerminating``: a pod that is being deleted but was never
  scheduled is deleted with grace period 0.

Not here: the terminated-pod threshold (12,500) pass.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from engine.api import errors
from engine.clock import Clock
from engine.runtime import SharedInformerFactory

Obj = dict[str, Any]
log = logging.getLogger(__name__)

GC_PERIOD = 20.0
QUARANTINE = 40.0


class PodGC:
    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        self.client = client
        self.clock: Clock = client.clock
        self.nodes = factory.informer_for("nodes")
        self.pods = factory.informer_for("pods")
        self.missing_since: dict[str, float] = {}

    async def run(self) -> None:
        await asyncio.gather(self.nodes.wait_for_cache_sync(), self.pods.wait_for_cache_sync())
        while True:
            self.gc()
            await self.clock.sleep(GC_PERIOD)

    def gc(self) -> None:
        now = self.clock.monotonic()
        seen: set[str] = set()
        for pod in list(self.pods.indexer.list()):
            node = pod["spec"].get("nodeName")
            if not node:
                if pod["metadata"].get("deletionTimestamp"):
                    self._delete(pod, None)
                continue
            if self.nodes.indexer.get_by_key(node) is not None:
                continue
            seen.add(node)
            since = self.missing_since.setdefault(node, now)
            if now - since >= QUARANTINE:
                self._delete(pod, "PodGC: node no longer exists")
        self.missing_since = {n: t for n, t in self.missing_since.items() if n in seen}

    def _delete(self, pod: Obj, reason: str | None) -> None:
        meta = pod["metadata"]
        if reason is not None:
            conditions = [c for c in (pod.get("status") or {}).get("conditions") or ()
                          if c.get("type") != "DisruptionTarget"]
            conditions.append({"type": "DisruptionTarget", "status": "True",
                               "lastProbeTime": None, "lastTransitionTime": self.clock.rfc3339(),
                               "reason": "DeletionByPodGC", "message": reason})
            body = {**pod, "status": {**(pod.get("status") or {}), "conditions": conditions}}
            try:
                self.client.update_status("pods", body)
            except errors.StatusError as err:
                log.info("no DisruptionTarget on %s: %s", meta["name"], err)
        try:
            self.client.delete("pods", meta["name"], namespace=meta["namespace"],
                               grace_period_seconds=0, preconditions={"uid": meta["uid"]})
        except errors.StatusError as err:
            if err.code not in (404, 409):
                raise


async def run_pod_gc_controller(cluster: Any,
                                factory: SharedInformerFactory | None = None) -> None:
    """The pod GC's node passes, until cancelled. ``factory``: kube-controller-manager's
    shared one (its owner starts and stops it); without it, a factory of its own."""
    from engine.controllers.nodelifecycle import FIELD_MANAGER, _client

    shared = factory is not None
    if factory is None:
        factory = SharedInformerFactory(cluster.local_client(FIELD_MANAGER))
    gc = PodGC(_client(cluster, "pod-garbage-collector"), factory)
    factory.start()  # the informers not running yet
    try:
        await gc.run()
    finally:
        if not shared:
            factory.stop()
