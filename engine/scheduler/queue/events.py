"""Cluster events and queueing hints: what may make an unschedulable pod fit.

Upstream: ``pkg/scheduler/framework/types.go`` (``ActionType`` flags,
``EventResource``, ``ClusterEvent.Match``), ``pkg/scheduler/framework/
events.go`` (``NodeSchedulingPropertiesChange``,
``PodSchedulingPropertiesChange``) and ``QueueingHintFn`` in
``interface.go``. A hint gets the pod and the event's old and new objects and
answers ``QUEUE`` or ``QUEUE_SKIP``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.scheduler.framework.resources import pod_requests

Obj = dict[str, Any]

# ActionType flags.
ADD = 1
DELETE = 1 << 1
UPDATE_NODE_ALLOCATABLE = 1 << 2
UPDATE_NODE_LABEL = 1 << 3
UPDATE_NODE_TAINT = 1 << 4
UPDATE_NODE_CONDITION = 1 << 5
UPDATE_NODE_ANNOTATION = 1 << 6
UPDATE_POD_LABEL = 1 << 7
UPDATE_POD_SCALE_DOWN = 1 << 8
UPDATE_POD_TOLERATIONS = 1 << 9
UPDATE_POD_SCHEDULING_GATES_ELIMINATED = 1 << 10
UPDATE_POD_OTHER = 1 << 11
UPDATE = (UPDATE_NODE_ALLOCATABLE | UPDATE_NODE_LABEL | UPDATE_NODE_TAINT
          | UPDATE_NODE_CONDITION | UPDATE_NODE_ANNOTATION | UPDATE_POD_LABEL
          | UPDATE_POD_SCALE_DOWN | UPDATE_POD_TOLERATIONS
          | UPDATE_POD_SCHEDULING_GATES_ELIMINATED | UPDATE_POD_OTHER)
ALL = ADD | DELETE | UPDATE

# EventResource.
POD = "Pod"
ASSIGNED_POD = "AssignedPod"
UNSCHEDULED_POD = "UnschedulablePod"
NODE = "Node"
PVC = "PersistentVolumeClaim"
PV = "PersistentVolume"
STORAGE_CLASS = "storage.k8s.io/StorageClass"
NAMESPACE = "Namespace"
WILDCARD = "*"

QUEUE = True
QUEUE_SKIP = False

HintFn = Callable[[Any, Any, Any], bool]  # (PodInfo, old, new) -> QUEUE or QUEUE_SKIP

_ACTION_NAMES = {
    ADD: "Add", DELETE: "Delete", UPDATE_NODE_ALLOCATABLE: "UpdateNodeAllocatable",
    UPDATE_NODE_LABEL: "UpdateNodeLabel", UPDATE_NODE_TAINT: "UpdateNodeTaint",
    UPDATE_NODE_CONDITION: "UpdateNodeCondition", UPDATE_NODE_ANNOTATION: "UpdateNodeAnnotation",
    UPDATE_POD_LABEL: "UpdatePodLabel", UPDATE_POD_SCALE_DOWN: "UpdatePodScaleDown",
    UPDATE_POD_TOLERATIONS: "UpdatePodTolerations",
    UPDATE_POD_SCHEDULING_GATES_ELIMINATED: "UpdatePodSchedulingGatesEliminated",
    UPDATE_POD_OTHER: "UpdatePodOther", UPDATE: "Update", ALL: "All",
}


@dataclass(frozen=True)
class ClusterEvent:
    """``framework.ClusterEvent``; ``label`` names special events."""

    resource: str
    action: int
    label: str = ""

    def is_wildcard(self) -> bool:
        return self.resource == WILDCARD and self.action == ALL

    def match(self, incoming: ClusterEvent) -> bool:
        return self.is_wildcard() or (_resource_matches(self.resource, incoming.resource)
                                      and bool(self.action & incoming.action))

    def name(self) -> str:
        if self.label:
            return self.label
        return f"{self.resource}{_ACTION_NAMES.get(self.action, str(self.action))}"


def _resource_matches(registered: str, incoming: str) -> bool:
    return registered in (WILDCARD, incoming) or (
        registered == POD and incoming in (ASSIGNED_POD, UNSCHEDULED_POD))


@dataclass(frozen=True)
class ClusterEventWithHint:
    """``framework.ClusterEventWithHint``: no hint means always QUEUE."""

    event: ClusterEvent
    hint: HintFn | None = None


# Well-known events (upstream's framework.EventXxx / queue package).
NODE_ADD = ClusterEvent(NODE, ADD, "NodeAdd")
NODE_DELETE = ClusterEvent(NODE, DELETE, "NodeDelete")
ASSIGNED_POD_ADD = ClusterEvent(ASSIGNED_POD, ADD, "AssignedPodAdd")
ASSIGNED_POD_DELETE = ClusterEvent(ASSIGNED_POD, DELETE, "AssignedPodDelete")
UNSCHEDULABLE_TIMEOUT = ClusterEvent(WILDCARD, ALL, "UnschedulableTimeout")
FORCE_ACTIVATE = ClusterEvent(WILDCARD, ALL, "ForceActivate")
SCHEDULE_ATTEMPT_FAILURE = "ScheduleAttemptFailure"
POD_ADD = "PodAdd"
POD_UPDATE = "PodUpdate"
BACKOFF_COMPLETE = "BackoffComplete"

_NODE_CHANGE_LABELS = {
    UPDATE_NODE_TAINT: "NodeTaintChange", UPDATE_NODE_ALLOCATABLE: "NodeAllocatableChange",
    UPDATE_NODE_LABEL: "NodeLabelChange", UPDATE_NODE_CONDITION: "NodeConditionChange",
    UPDATE_NODE_ANNOTATION: "NodeAnnotationChange",
}


def node_scheduling_properties_change(new: Obj, old: Obj) -> list[ClusterEvent]:
    """``NodeSchedulingPropertiesChange``: which parts of a Node changed."""
    ns, os_ = new.get("spec") or {}, old.get("spec") or {}
    nm, om = new.get("metadata") or {}, old.get("metadata") or {}
    nst, ost = new.get("status") or {}, old.get("status") or {}
    events = []
    if bool(ns.get("unschedulable")) != bool(os_.get("unschedulable")):
        events.append(ClusterEvent(NODE, UPDATE_NODE_TAINT, "NodeSpecUnschedulableChange"))
    if nst.get("allocatable") != ost.get("allocatable"):
        events.append(ClusterEvent(NODE, UPDATE_NODE_ALLOCATABLE, "NodeAllocatableChange"))
    if (nm.get("labels") or {}) != (om.get("labels") or {}):
        events.append(ClusterEvent(NODE, UPDATE_NODE_LABEL, "NodeLabelChange"))
    if (ns.get("taints") or []) != (os_.get("taints") or []):
        events.append(ClusterEvent(NODE, UPDATE_NODE_TAINT, "NodeTaintChange"))
    if _condition_statuses(nst) != _condition_statuses(ost):
        events.append(ClusterEvent(NODE, UPDATE_NODE_CONDITION, "NodeConditionChange"))
    if (nm.get("annotations") or {}) != (om.get("annotations") or {}):
        events.append(ClusterEvent(NODE, UPDATE_NODE_ANNOTATION, "NodeAnnotationChange"))
    return events


def _condition_statuses(status: Obj) -> dict[str, str]:
    return {c.get("type"): c.get("status") for c in status.get("conditions") or ()}


def pod_scheduling_properties_change(new: Obj, old: Obj) -> list[ClusterEvent]:
    """``PodSchedulingPropertiesChange``: labels, scale-down, tolerations, gates."""
    resource = ASSIGNED_POD if (new.get("spec") or {}).get("nodeName") else UNSCHEDULED_POD
    nm, om = new.get("metadata") or {}, old.get("metadata") or {}
    ns, os_ = new.get("spec") or {}, old.get("spec") or {}
    events = []
    if (nm.get("labels") or {}) != (om.get("labels") or {}):
        events.append(ClusterEvent(resource, UPDATE_POD_LABEL, "PodLabelChange"))
    if _scaled_down(new, old):
        events.append(ClusterEvent(resource, UPDATE_POD_SCALE_DOWN, "PodRequestScaledDown"))
    if (ns.get("tolerations") or []) != (os_.get("tolerations") or []):
        events.append(ClusterEvent(resource, UPDATE_POD_TOLERATIONS, "PodTolerationChange"))
    if os_.get("schedulingGates") and not ns.get("schedulingGates"):
        events.append(ClusterEvent(resource, UPDATE_POD_SCHEDULING_GATES_ELIMINATED,
                                   "PodSchedulingGateEliminatedChange"))
    if not events:
        label = "AssignedPodUpdate" if resource == ASSIGNED_POD else "UnschedulablePodUpdate"
        events.append(ClusterEvent(resource, UPDATE_POD_OTHER, label))
    return events


def _scaled_down(new: Obj, old: Obj) -> bool:
    if _containers_resources(new) == _containers_resources(old):
        return False
    before, after = pod_requests(old), pod_requests(new)
    return any(after.get(name, 0) < value for name, value in before.items())


def _containers_resources(pod: Obj) -> list[Any]:
    spec = pod.get("spec") or {}
    return [c.get("resources") for c in (*(spec.get("initContainers") or ()),
                                          *(spec.get("containers") or ()))]
