"""A StatefulSet's status from its pods, and writing it.

Upstream: ``pkg/controller/statefulset/stateful_set_control.go``
(``computeReplicaStatus``, ``updateStatus``, ``updateStatefulSetStatus``,
``completeRollingUpdate``, ``inconsistentStatus``) and
``stateful_set_status_updater.go`` (``UpdateStatefulSetStatus``: the whole
status replaced, retried on conflict against a fresh read).

The status is written as Go encodes ``StatefulSetStatus``: ``replicas`` and
``availableReplicas`` always, ``collisionCount`` always (a non-nil pointer),
the other counters and revisions only when set.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.statefulset.identity import (
    is_created,
    is_running_and_available,
    is_running_and_ready,
    is_terminating,
    revision_of,
)

Obj = dict[str, Any]
COUNTERS = ("replicas", "readyReplicas", "availableReplicas", "currentReplicas",
            "updatedReplicas")
_OMIT_EMPTY = ("observedGeneration", "readyReplicas", "currentReplicas", "updatedReplicas",
               "currentRevision", "updateRevision")


def count_replicas(status: Obj, pod_lists: list[list[Obj]], min_ready: int, now: float,
                   current: str, update: str) -> None:
    """``updateStatus``: the five counters over every list of pods."""
    counts = dict.fromkeys(COUNTERS, 0)
    for pods in pod_lists:
        for pod in pods:
            created = is_created(pod)
            counts["replicas"] += created
            if is_running_and_ready(pod):
                counts["readyReplicas"] += 1
                counts["availableReplicas"] += is_running_and_available(pod, min_ready, now)
            if created and not is_terminating(pod):
                counts["currentReplicas"] += revision_of(pod) == current
                counts["updatedReplicas"] += revision_of(pod) == update
    status.update(counts)


def complete_rolling_update(sts: Obj, status: Obj) -> None:
    """``completeRollingUpdate``: every replica updated and ready - the update
    revision becomes the current one."""
    strategy = (sts["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
    if (strategy == "RollingUpdate" and status["updatedReplicas"] == status["replicas"]
            and status["readyReplicas"] == status["replicas"]):
        status["currentReplicas"] = status["updatedReplicas"]
        status["currentRevision"] = status["updateRevision"]


def inconsistent(sts: Obj, status: Obj) -> bool:
    """``inconsistentStatus``: anything worth a write."""
    old = sts.get("status") or {}
    if status.get("observedGeneration", 0) > old.get("observedGeneration", 0):
        return True
    keys = (*COUNTERS, "currentRevision", "updateRevision")
    return any(status.get(k) != old.get(k, "" if k.endswith("Revision") else 0) for k in keys)


def go_status(status: Obj) -> Obj:
    """Drop what Go's ``omitempty`` drops."""
    return {k: v for k, v in status.items() if not (k in _OMIT_EMPTY and not v)}


def write_status(client: Any, sts: Obj, status: Obj) -> Obj:
    """``UpdateStatefulSetStatus``: replace the status, retrying conflicts."""
    body = {**sts, "status": go_status(status)}
    for _ in range(5):
        try:
            return client.update_status("statefulsets", body)
        except errors.StatusError as err:
            if err.code != 409:
                raise
        m = sts["metadata"]
        fresh = client.get("statefulsets", m["name"], m["namespace"])
        body = {**fresh, "status": go_status(status)}
    raise errors.conflict("statefulsets", "apps", sts["metadata"]["name"])
