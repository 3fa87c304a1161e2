"""SchedulingGates: pods with ``spec.schedulingGates`` wait outside activeQ.

Upstream: ``pkg/scheduler/framework/plugins/schedulinggates/
scheduling_gates.go`` (PreEnqueue; requeued when the last gate is removed).
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.interface import PreEnqueuePlugin
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import Status, unresolvable
from engine.scheduler.queue import events as ev


class SchedulingGates(PreEnqueuePlugin):
    name = names.SCHEDULING_GATES

    def pre_enqueue(self, pod: PodInfo) -> Status | None:
        gates = (pod.pod.get("spec") or {}).get("schedulingGates") or []
        if not gates:
            return None
        listed = " ".join(g.get("name", "") for g in gates)
        return unresolvable(f"waiting for scheduling gates: [{listed}]")

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [ev.ClusterEventWithHint(
            ev.ClusterEvent(ev.POD, ev.UPDATE_POD_SCHEDULING_GATES_ELIMINATED), _gates_removed)]


def _gates_removed(pod: PodInfo, old: Any, new: Any) -> bool:
    if new is None or (new.get("metadata") or {}).get("uid") != pod.uid:
        return ev.QUEUE_SKIP
    return not (new.get("spec") or {}).get("schedulingGates")
