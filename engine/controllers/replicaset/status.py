"""A ReplicaSet's status from its pods.

Upstream: ``pkg/controller/replicaset/replica_set_utils.go``
(``calculateStatus``, ``updateReplicaSetStatus``). Counts are of active
pods the controller owns; ``availableReplicas`` honours ``minReadySeconds``;
a failed create or delete sets ``ReplicaFailure`` (reason ``FailedCreate`` /
``FailedDelete``) until a sync succeeds again.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.controllers.util.conditions import get_condition, remove_condition, set_condition
from engine.controllers.util.podfacts import Fact
from engine.controllers.util.selectors import set_selector

Obj = dict[str, Any]

REPLICA_FAILURE = "ReplicaFailure"
# Status fields Go omits when zero (``omitempty``); ``replicas`` is always written.
_OMIT_ZERO = ("fullyLabeledReplicas", "readyReplicas", "availableReplicas")


def calculate_status(rs: Obj, pods: list[Fact], manage_error: Exception | None,
                     now: float, stamp: str) -> Obj:
    """``calculateStatus`` over the claimed active pods' facts."""
    spec = rs.get("spec") or {}
    status = meta.deep_copy(rs.get("status") or {})
    template_labels = set_selector(((spec.get("template") or {}).get("metadata") or {})
                                   .get("labels"))
    min_ready = spec.get("minReadySeconds") or 0
    fully = ready = available = 0
    for fact in pods:
        if fact.fully_labeled(template_labels):
            fully += 1
        if fact.ready:
            ready += 1
            if fact.available(min_ready, now):
                available += 1
    failure = get_condition(status, REPLICA_FAILURE)
    if manage_error is not None and failure is None:
        diff = len(pods) - spec.get("replicas", 1)
        reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
        set_condition(status, {"type": REPLICA_FAILURE, "status": "True",
                               "lastTransitionTime": stamp, "reason": reason,
                               "message": str(manage_error)})
    elif manage_error is None and failure is not None:
        remove_condition(status, REPLICA_FAILURE)
    status["replicas"] = len(pods)
    for name, value in zip(_OMIT_ZERO, (fully, ready, available), strict=True):
        if value:
            status[name] = value
        else:
            status.pop(name, None)
    return status


def update_status(client: Any, resource: str, rs: Obj, status: Obj) -> Obj:
    """``updateReplicaSetStatus``: write when changed, with one re-read on conflict."""
    generation = rs["metadata"].get("generation", 0)
    current = rs.get("status") or {}
    if _same(current, status) and current.get("observedGeneration") == generation:
        return rs
    for attempt in range(2):
        body = {**rs, "status": {**status}}
        if rs["metadata"].get("generation"):
            body["status"]["observedGeneration"] = rs["metadata"]["generation"]
        try:
            return client.update_status(resource, body)
        except errors.StatusError as err:
            if err.code != 409 or attempt:
                raise
            rs = client.get(resource, rs["metadata"]["name"], rs["metadata"]["namespace"])
    return rs


def _same(a: Obj, b: Obj) -> bool:
    keys = ("replicas", *_OMIT_ZERO)
    return (all(a.get(k, 0) == b.get(k, 0) for k in keys)
            and (a.get("conditions") or []) == (b.get("conditions") or []))
