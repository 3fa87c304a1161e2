"""The scheduling queue: activeQ, podBackoffQ and unschedulablePods.

Upstream: ``pkg/scheduler/internal/queue/scheduling_queue.go``
(``PriorityQueue``) with QueueingHints enabled (the 1.32 default):

* activeQ pops the highest priority first, then the earliest queued
  (``PrioritySort``); PreEnqueue plugins (SchedulingGates) keep gated pods
  out of it, in unschedulablePods;
* a pod that failed goes to unschedulablePods (rejected by plugins) or
  podBackoffQ (an error, or no plugin to blame); its backoff is 1 s doubled
  per attempt up to 10 s;
* a cluster event moves each unschedulable pod whose rejecting plugins
  registered that event, and whose queueing hint says so, to podBackoffQ
  while it is backing off or to activeQ otherwise;
* every second the pods whose backoff ended move to activeQ
  (``flushBackoffQCompleted``); every 30 s pods unschedulable for more than
  5 minutes are retried (``flushUnschedulablePodsLeftover``).

The nominator (``nominator.go``) remembers which pods are nominated to which
node, for filtering with nominated pods and for preemption.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from typing import Any

from engine.scheduler.framework.pod_info import PodInfo, QueuedPodInfo
from engine.scheduler.queue import events as ev

Obj = dict[str, Any]

INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 10.0
MAX_IN_UNSCHEDULABLE = 300.0
BACKOFF_FLUSH_PERIOD = 1.0
UNSCHEDULABLE_FLUSH_PERIOD = 30.0

QUEUE_SKIP, QUEUE_AFTER_BACKOFF, QUEUE_IMMEDIATELY = 0, 1, 2
ACTIVE, BACKOFF, UNSCHEDULABLE = "activeQ", "backoffQ", "unschedulablePods"

PreEnqueue = Callable[[PodInfo], Any]  # returns None or a Status with the plugin's name
HintEntry = tuple[str, ev.HintFn | None]  # (plugin, hint)


class Nominator:
    """Pods nominated to nodes (``nominator``)."""

    def __init__(self) -> None:
        self.by_node: dict[str, dict[str, PodInfo]] = {}
        self.node_of: dict[str, str] = {}

    def add(self, pi: PodInfo, node: str) -> None:
        self.delete(pi.key)
        if node:
            self.by_node.setdefault(node, {})[pi.key] = pi
            self.node_of[pi.key] = node

    def delete(self, key: str) -> None:
        node = self.node_of.pop(key, None)
        if node is not None:
            pods = self.by_node.get(node)
            if pods is not None:
                pods.pop(key, None)
                if not pods:
                    del self.by_node[node]

    def pods_for_node(self, node: str) -> list[PodInfo]:
        return list((self.by_node.get(node) or {}).values())


class SchedulingQueue:
    """``PriorityQueue`` (see the module docstring)."""

    def __init__(self, clock: Any, *, pre_enqueue: list[tuple[str, PreEnqueue]] | None = None,
                 hints: dict[ev.ClusterEvent, list[HintEntry]] | None = None,
                 initial_backoff: float = INITIAL_BACKOFF,
                 max_backoff: float = MAX_BACKOFF,
                 max_in_unschedulable: float = MAX_IN_UNSCHEDULABLE) -> None:
        self.clock = clock
        self.pre_enqueue = pre_enqueue or []
        self.hints = hints or {}
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.max_in_unschedulable = max_in_unschedulable
        self._seq = itertools.count()
        self.active: dict[str, QueuedPodInfo] = {}
        self._active_heap: list[tuple[int, float, int, str]] = []
        self.backoff: dict[str, QueuedPodInfo] = {}
        self._backoff_heap: list[tuple[float, int, str]] = []
        self.unschedulable: dict[str, QueuedPodInfo] = {}
        self.in_flight: dict[str, QueuedPodInfo] = {}
        self.nominator = Nominator()
        self.scheduling_cycle = 0
        self.move_request_cycle = -1
        self._wake: asyncio.Event | None = None
        self._closed = False
        self.on_move: Callable[[QueuedPodInfo, str, str], None] | None = None

    # -- adding ------------------------------------------------------------------------
    def new_queued(self, pod: Obj) -> QueuedPodInfo:
        return QueuedPodInfo(PodInfo(pod), self.clock.monotonic(), next(self._seq))

    def add(self, pod: Obj) -> None:
        """``Add``: a new unscheduled pod."""
        qpi = self.new_queued(pod)
        self._drop(qpi.key)
        self._add_to_active(qpi, ev.POD_ADD)

    def _run_pre_enqueue(self, qpi: QueuedPodInfo) -> bool:
        for name, fn in self.pre_enqueue:
            status = fn(qpi.pod_info)
            if status is not None:
                qpi.unschedulable_plugins = {name}
                return False
        return True

    def _add_to_active(self, qpi: QueuedPodInfo, event: str) -> bool:
        """``addToActiveQ``: run PreEnqueue; a gated pod waits in unschedulablePods."""
        qpi.gated = not self._run_pre_enqueue(qpi)
        if qpi.gated:
            qpi.unschedulable_since = self.clock.monotonic()
            self.unschedulable[qpi.key] = qpi
            return False
        self.active[qpi.key] = qpi
        heapq.heappush(self._active_heap,
                       (-qpi.pod_info.priority, qpi.timestamp, qpi.seq, qpi.key))
        self._notify(qpi, ACTIVE, event)
        if self._wake is not None:
            self._wake.set()
        return True

    def _add_to_backoff(self, qpi: QueuedPodInfo, event: str) -> None:
        qpi.backoff_expiry = self.backoff_time(qpi)
        self.backoff[qpi.key] = qpi
        heapq.heappush(self._backoff_heap, (qpi.backoff_expiry, qpi.seq, qpi.key))
        self._notify(qpi, BACKOFF, event)

    def _notify(self, qpi: QueuedPodInfo, queue: str, event: str) -> None:
        if self.on_move is not None:
            self.on_move(qpi, queue, event)

    # -- popping -------------------------------------------------------------------------
    def pop_nowait(self) -> QueuedPodInfo | None:
        heap = self._active_heap
        while heap:
            _, _, seq, key = heapq.heappop(heap)
            qpi = self.active.get(key)
            if qpi is None or qpi.seq != seq:
                continue  # stale heap entry
            del self.active[key]
            qpi.attempts += 1
            if qpi.initial_attempt_timestamp is None:
                qpi.initial_attempt_timestamp = self.clock.monotonic()
            self.scheduling_cycle += 1
            self.in_flight[key] = qpi
            return qpi
        return None

    async def pop(self) -> QueuedPodInfo:
        """``Pop``: wait for a pod in activeQ."""
        while True:
            qpi = self.pop_nowait()
            if qpi is not None:
                return qpi
            if self._wake is None:
                self._wake = asyncio.Event()
            self._wake.clear()
            await self._wake.wait()

    def done(self, key: str) -> None:
        self.in_flight.pop(key, None)

    def __len__(self) -> int:
        return len(self.active) + len(self.backoff) + len(self.unschedulable)

    # -- failures --------------------------------------------------------------------------
    def add_unschedulable_if_not_present(self, qpi: QueuedPodInfo) -> str:
        """After a failed attempt: unschedulablePods, or podBackoffQ when no plugin rejected
        the pod. Returns the queue it went to."""
        self.done(qpi.key)
        if qpi.key in self.active or qpi.key in self.backoff or qpi.key in self.unschedulable:
            return ""
        qpi.timestamp = self.clock.monotonic()
        qpi.seq = next(self._seq)
        if not qpi.unschedulable_plugins and not qpi.pending_plugins:
            strategy = QUEUE_AFTER_BACKOFF
        else:
            strategy = QUEUE_SKIP
        return self._requeue(qpi, strategy, ev.SCHEDULE_ATTEMPT_FAILURE)

    def _requeue(self, qpi: QueuedPodInfo, strategy: int, event: str) -> str:
        """``requeuePodViaQueueingHint``."""
        if strategy == QUEUE_SKIP:
            qpi.unschedulable_since = self.clock.monotonic()
            self.unschedulable[qpi.key] = qpi
            self._notify(qpi, UNSCHEDULABLE, event)
            return UNSCHEDULABLE
        if strategy == QUEUE_AFTER_BACKOFF and self.is_backing_off(qpi):
            self._add_to_backoff(qpi, event)
            return BACKOFF
        if self._add_to_active(qpi, event):
            return ACTIVE
        return UNSCHEDULABLE

    def backoff_duration(self, qpi: QueuedPodInfo) -> float:
        if qpi.attempts == 0:
            return 0.0
        duration = self.initial_backoff
        for _ in range(1, qpi.attempts):
            if duration > self.max_backoff - duration:
                return self.max_backoff
            duration += duration
        return duration

    def backoff_time(self, qpi: QueuedPodInfo) -> float:
        return qpi.timestamp + self.backoff_duration(qpi)

    def is_backing_off(self, qpi: QueuedPodInfo) -> bool:
        return self.backoff_time(qpi) > self.clock.monotonic()

    # -- updates and deletes ---------------------------------------------------------------
    def update(self, old: Obj | None, new: Obj) -> None:
        """``Update``: an unscheduled pod changed."""
        key = _key(new)
        if key in self.in_flight:
            self.in_flight[key].pod_info.update(new)
            return
        qpi = self.active.get(key)
        if qpi is not None:
            qpi.pod_info.update(new)
            self._renominate(qpi)
            return
        qpi = self.backoff.get(key)
        if qpi is not None:
            qpi.pod_info.update(new)
            self._renominate(qpi)
            return
        qpi = self.unschedulable.get(key)
        if qpi is not None:
            qpi.pod_info.update(new)
            self._renominate(qpi)
            for event in ev.pod_scheduling_properties_change(new, old or {}):
                strategy = self._worth_requeuing(qpi, event, old, new)
                if strategy == QUEUE_SKIP:
                    continue
                del self.unschedulable[key]
                where = self._requeue(qpi, strategy, event.name())
                if where != UNSCHEDULABLE or key not in self.unschedulable:
                    break
            return
        self._add_to_active(self.new_queued(new), ev.POD_UPDATE)

    def _renominate(self, qpi: QueuedPodInfo) -> None:
        node = (qpi.pod.get("status") or {}).get("nominatedNodeName") or ""
        if qpi.key in self.nominator.node_of or node:
            self.nominator.add(qpi.pod_info, node)

    def delete(self, pod: Obj) -> None:
        key = _key(pod)
        self._drop(key)
        self.in_flight.pop(key, None)
        self.nominator.delete(key)

    def _drop(self, key: str) -> None:
        self.active.pop(key, None)
        self.backoff.pop(key, None)
        self.unschedulable.pop(key, None)

    def get(self, key: str) -> tuple[str, QueuedPodInfo] | None:
        for name, queue in ((ACTIVE, self.active), (BACKOFF, self.backoff),
                            (UNSCHEDULABLE, self.unschedulable)):
            if key in queue:
                return name, queue[key]
        return None

    # -- moving on cluster events ------------------------------------------------------------
    def move_all_to_active_or_backoff(self, event: ev.ClusterEvent, old: Any = None,
                                      new: Any = None,
                                      pre_check: Callable[[QueuedPodInfo], bool] | None = None
                                      ) -> None:
        """``MoveAllToActiveOrBackoffQueue``."""
        if not self.unschedulable:
            self.move_request_cycle = self.scheduling_cycle
            return
        pods = [q for q in self.unschedulable.values() if pre_check is None or pre_check(q)]
        self._move(pods, event, old, new)

    def _move(self, pods: list[QueuedPodInfo], event: ev.ClusterEvent, old: Any,
              new: Any) -> None:
        for qpi in pods:
            strategy = self._worth_requeuing(qpi, event, old, new)
            if strategy == QUEUE_SKIP:
                continue
            del self.unschedulable[qpi.key]
            self._requeue(qpi, strategy, event.name())
        self.move_request_cycle = self.scheduling_cycle

    def _worth_requeuing(self, qpi: QueuedPodInfo, event: ev.ClusterEvent, old: Any,
                         new: Any) -> int:
        """``isPodWorthRequeuing``."""
        rejectors = qpi.unschedulable_plugins | qpi.pending_plugins
        if not rejectors or event.is_wildcard():
            return QUEUE_AFTER_BACKOFF
        strategy = QUEUE_SKIP
        for registered, entries in self.hints.items():
            if not registered.match(event):
                continue
            for plugin, hint in entries:
                if plugin not in rejectors:
                    continue
                try:
                    queue = True if hint is None else hint(qpi.pod_info, old, new)
                except Exception:  # a failing hint means Queue, as upstream
                    queue = True
                if not queue:
                    continue
                if plugin in qpi.pending_plugins:
                    return QUEUE_IMMEDIATELY
                if not qpi.pending_plugins:
                    return QUEUE_AFTER_BACKOFF
                strategy = QUEUE_AFTER_BACKOFF
        return strategy

    def assigned_pod_added(self, pi: PodInfo) -> None:
        """``AssignedPodAdded``: only pods with cross-node terms can gain from it."""
        pods = self._with_cross_topology_terms(pi)
        if pods:
            self._move(pods, ev.ASSIGNED_POD_ADD, None, pi.pod)

    def assigned_pod_updated(self, old: Obj, new: Obj, pi: PodInfo) -> None:
        """``AssignedPodUpdated``."""
        for event in ev.pod_scheduling_properties_change(new, old):
            if event.action & ev.UPDATE_POD_SCALE_DOWN:
                self.move_all_to_active_or_backoff(event, old, new)
            else:
                pods = self._with_cross_topology_terms(pi)
                if pods:
                    self._move(pods, event, old, new)

    def _with_cross_topology_terms(self, pi: PodInfo) -> list[QueuedPodInfo]:
        """``getUnschedulablePodsWithCrossTopologyTerm``: pods with affinity terms
        or topology spread constraints."""
        out = []
        for qpi in self.unschedulable.values():
            spec = qpi.pod.get("spec") or {}
            if qpi.pod_info.required_affinity or qpi.pod_info.required_anti_affinity or \
                    spec.get("topologySpreadConstraints") or qpi.pod_info.preferred_affinity \
                    or qpi.pod_info.preferred_anti_affinity:
                out.append(qpi)
                continue
        return out

    # -- periodic flushes --------------------------------------------------------------------------
    def flush_backoff_completed(self) -> None:
        """``flushBackoffQCompleted``."""
        now = self.clock.monotonic()
        heap = self._backoff_heap
        while heap and heap[0][0] <= now:
            _, seq, key = heapq.heappop(heap)
            qpi = self.backoff.get(key)
            if qpi is None or qpi.seq != seq:
                continue
            del self.backoff[key]
            self._add_to_active(qpi, ev.BACKOFF_COMPLETE)

    def flush_unschedulable_leftover(self) -> None:
        """``flushUnschedulablePodsLeftover``."""
        now = self.clock.monotonic()
        stale = [q for q in self.unschedulable.values()
                 if not q.gated and now - q.timestamp > self.max_in_unschedulable]
        if stale:
            self._move(stale, ev.UNSCHEDULABLE_TIMEOUT, None, None)

    async def run_flushes(self) -> None:
        """The two periodic flushes, on the engine clock, until cancelled."""
        ticks = 0
        per = int(UNSCHEDULABLE_FLUSH_PERIOD / BACKOFF_FLUSH_PERIOD)
        while not self._closed:
            await self.clock.sleep(BACKOFF_FLUSH_PERIOD)
            ticks += 1
            self.flush_backoff_completed()
            if ticks % per == 0:
                self.flush_unschedulable_leftover()

    def close(self) -> None:
        self._closed = True
        if self._wake is not None:
            self._wake.set()

    # -- nominated pods ----------------------------------------------------------------------------
    def nominated_pods_for_node(self, node: str) -> list[PodInfo]:
        return self.nominator.pods_for_node(node)

    def add_nominated_pod(self, pi: PodInfo, node: str | None) -> None:
        """``AddNominatedPod``: None keeps the pod's own ``status.nominatedNodeName``."""
        if node is None:
            node = (pi.pod.get("status") or {}).get("nominatedNodeName") or ""
        if node:
            self.nominator.add(pi, node)
        else:
            self.nominator.delete(pi.key)

    def delete_nominated_pod_if_exists(self, pod: Obj) -> None:
        self.nominator.delete(_key(pod))


def _key(pod: Obj) -> str:
    m = pod.get("metadata") or {}
    return f"{m.get('namespace', '')}/{m.get('name', '')}"
