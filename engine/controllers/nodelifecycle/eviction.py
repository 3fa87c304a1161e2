"""Taint-based eviction: pods leave nodes with NoExecute taints they do not tolerate.

Upstream: ``pkg/controller/tainteviction/taint_eviction.go`` (the
``taint-eviction-controller``, split out of the node lifecycle controller in
v1.29). For each pod on a node with NoExecute taints:

* a taint none of the pod's tolerations tolerates: the pod is deleted now;
* all tolerated, some tolerations with ``tolerationSeconds``: deleted that
  many seconds (the smallest) after the controller saw the taints - the
  300 s ``node.kubernetes.io/not-ready``/``unreachable`` tolerations that the
  DefaultTolerationSeconds admission plugin adds to every pod make this the
  usual five minutes;
* all tolerated forever: left alone.

A deletion records ``TaintManagerEviction`` "Marking for deletion Pod
ns/name", adds the ``DisruptionTarget`` condition (``DeletionByTaintManager``)
and deletes the pod with its own grace period. A scheduled deletion is
cancelled ("Cancelling deletion of Pod ns/name") when the taints go away.
"""

from __future__ import annotations

import logging
from typing import Any

from engine.api import errors
from engine.clock import Clock
from engine.controllers.nodelifecycle.controller import NODE_NAME_INDEX, node_name_index
from engine.controllers.nodelifecycle.taints import NO_EXECUTE, tolerates
from engine.events.recorder import EventRecorder
from engine.runtime import SharedInformerFactory, tombstone_object

Obj = dict[str, Any]
log = logging.getLogger(__name__)

COMPONENT = "taint-eviction-controller"
RETRIES = 5


class TaintEvictionController:
    """Deletes pods from nodes whose NoExecute taints they do not tolerate."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        self.client = client
        self.clock: Clock = client.clock
        self.recorder = EventRecorder(client, COMPONENT)
        self.nodes = factory.informer_for("nodes")
        self.pods = factory.informer_for("pods", indexers={NODE_NAME_INDEX: node_name_index})
        self.scheduled: dict[str, tuple[str, float, Any]] = {}  # key -> (uid, due, timer)
        self.nodes.add_event_handler(on_add=self._node_changed,
                                     on_update=lambda old, new: self._node_changed(new, old),
                                     on_delete=self._node_deleted)
        self.pods.add_event_handler(on_add=self._pod_changed,
                                    on_update=lambda _old, new: self._pod_changed(new),
                                    on_delete=self._pod_deleted)

    # -- notifications ----------------------------------------------------------------------
    def _node_changed(self, node: Obj, old: Obj | None = None) -> None:
        if old is not None and _no_execute(old) == _no_execute(node):
            return
        for pod in list(self.pods.indexer.by_index(NODE_NAME_INDEX, node["metadata"]["name"])):
            self.process(pod, node)

    def _node_deleted(self, obj: Any) -> None:
        node = tombstone_object(obj)
        for pod in list(self.pods.indexer.by_index(NODE_NAME_INDEX, node["metadata"]["name"])):
            self._cancel(pod, announce=False)

    def _pod_changed(self, pod: Obj) -> None:
        name = pod["spec"].get("nodeName")
        if name:
            node = self.nodes.indexer.get_by_key(name)
            if not self.scheduled and (node is None or not _no_execute(node)):
                # ``process`` would only cancel a deletion, and none is
                # scheduled: the common case (no NoExecute taints), skipped.
                return
            self.process(pod, node)

    def _pod_deleted(self, obj: Any) -> None:
        self._cancel(tombstone_object(obj), announce=False)

    # -- decisions ----------------------------------------------------------------------------
    def process(self, pod: Obj, node: Obj | None) -> None:
        """``processPodOnNode``."""
        if pod["metadata"].get("deletionTimestamp") or (pod.get("status") or {}).get(
                "phase") in ("Succeeded", "Failed"):
            self._cancel(pod, announce=False)
            return
        node_taints = _no_execute(node) if node is not None else []
        if not node_taints:
            self._cancel(pod, announce=True)
            return
        tolerations = [t for t in pod["spec"].get("tolerations") or ()
                       if t.get("effect") in (None, "", NO_EXECUTE)]
        used = []
        for taint in node_taints:
            matching = [t for t in tolerations if tolerates(t, taint)]
            if not matching:
                self._schedule(pod, 0.0)
                return
            used += matching
        seconds = _min_toleration_seconds(used)
        if seconds is None:
            self._cancel(pod, announce=True)
        else:
            self._schedule(pod, seconds)

    def _schedule(self, pod: Obj, seconds: float) -> None:
        key, uid = _key(pod), pod["metadata"]["uid"]
        due = self.clock.monotonic() + max(seconds, 0.0)
        existing = self.scheduled.get(key)
        if existing is not None and existing[0] == uid and existing[1] <= due:
            return
        if existing is not None:
            existing[2].cancel()
        timer = self.clock.call_later(max(seconds, 0.0), self._evict, key, uid)
        self.scheduled[key] = (uid, due, timer)

    def _cancel(self, pod: Obj, announce: bool) -> None:
        existing = self.scheduled.pop(_key(pod), None)
        if existing is None:
            return
        existing[2].cancel()
        if announce:
            self.recorder.event(pod, "Normal", "TaintManagerEviction",
                                f"Cancelling deletion of Pod {_key(pod)}")

    # -- deletion --------------------------------------------------------------------------------
    def _evict(self, key: str, uid: str) -> None:
        self.scheduled.pop(key, None)
        pod = self.pods.indexer.get_by_key(key)
        if pod is None or pod["metadata"]["uid"] != uid:
            return
        self.recorder.event(pod, "Normal", "TaintManagerEviction",
                            f"Marking for deletion Pod {key}")
        self._add_disruption_condition(pod)
        ns, name = key.split("/", 1)
        for _ in range(RETRIES):
            try:
                self.client.delete("pods", name, namespace=ns, preconditions={"uid": uid})
                return
            except errors.StatusError as err:
                if err.code in (404, 409):
                    return
                log.warning("failed to evict %s: %s", key, err)

    def _add_disruption_condition(self, pod: Obj) -> None:
        conditions = [c for c in (pod.get("status") or {}).get("conditions") or ()
                      if c.get("type") != "DisruptionTarget"]
        conditions.append({"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                           "lastTransitionTime": self.clock.rfc3339(),
                           "reason": "DeletionByTaintManager",
                           "message": "Taint manager: deleting due to NoExecute taint"})
        body = {**pod, "status": {**(pod.get("status") or {}), "conditions": conditions}}
        try:
            self.client.update_status("pods", body)
        except errors.StatusError as err:
            log.info("no DisruptionTarget condition on %s: %s", _key(pod), err)


def _no_execute(node: Obj) -> list[Obj]:
    return [t for t in (node.get("spec") or {}).get("taints") or ()
            if t.get("effect") == NO_EXECUTE]


def _min_toleration_seconds(tolerations: list[Obj]) -> float | None:
    """``getMinTolerationTime``: None means forever."""
    seconds = [t["tolerationSeconds"] for t in tolerations
               if t.get("tolerationSeconds") is not None]
    if not seconds:
        return None
    return float(max(min(seconds), 0))


def _key(pod: Obj) -> str:
    return f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
