"""Deployment arithmetic and annotations.

Upstream: ``pkg/controller/deployment/util/deployment_util.go`` and
``k8s.io/apimachinery/pkg/util/intstr`` (``GetScaledValueFromIntOrPercent``).
"""

from __future__ import annotations

import math
from typing import Any

from engine.controllers.util.timeutil import parse_time

Obj = dict[str, Any]

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to"
POD_TEMPLATE_HASH = "pod-template-hash"
# annotationsToSkip: never copied from a Deployment to its ReplicaSets.
ANNOTATIONS_TO_SKIP = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
                                 MAX_REPLICAS, DEPRECATED_ROLLBACK_TO})
# maxRevHistoryLengthInChars.
MAX_REV_HISTORY_CHARS = 2000
MAX_INT32 = 2**31 - 1


# -- replicas ----------------------------------------------------------------------------
def replicas(obj: Obj | None) -> int:
    """``*spec.replicas`` (0 for a missing object)."""
    if obj is None:
        return 0
    value = (obj.get("spec") or {}).get("replicas")
    return 1 if value is None else int(value)


def status_of(obj: Obj | None, field: str) -> int:
    if obj is None:
        return 0
    return int((obj.get("status") or {}).get(field) or 0)


def spec_total(rss: list[Obj | None]) -> int:
    """``GetReplicaCountForReplicaSets``."""
    return sum(replicas(rs) for rs in rss if rs is not None)


def status_total(rss: list[Obj | None], field: str) -> int:
    """``GetActualReplicaCountForReplicaSets`` (replicas), ``...Ready...``, ``...Available...``."""
    return sum(status_of(rs, field) for rs in rss if rs is not None)


def active(rss: list[Obj | None]) -> list[Obj]:
    """``FilterActiveReplicaSets``: those with spec.replicas > 0."""
    return [rs for rs in rss if rs is not None and replicas(rs) > 0]


# -- fenceposts ---------------------------------------------------------------------------
def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """``GetScaledValueFromIntOrPercent``."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    if value.endswith("%"):
        pct = int(value[:-1])
        scaled = pct * total / 100
        return math.ceil(scaled) if round_up else math.floor(scaled)
    return int(value)


def is_rolling(d: Obj) -> bool:
    return ((d.get("spec") or {}).get("strategy") or {}).get("type") == "RollingUpdate"


def _rolling(d: Obj) -> Obj:
    return ((d.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}


def resolve_fenceposts(d: Obj) -> tuple[int, int]:
    """``ResolveFenceposts``: surge rounds up, unavailable down; both 0 -> unavailable 1."""
    rolling, desired = _rolling(d), replicas(d)
    surge = scaled_value(rolling.get("maxSurge", 0), desired, True)
    unavailable = scaled_value(rolling.get("maxUnavailable", 0), desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_surge(d: Obj) -> int:
    """``MaxSurge``: 0 unless RollingUpdate."""
    return resolve_fenceposts(d)[0] if is_rolling(d) else 0


def max_unavailable(d: Obj) -> int:
    """``MaxUnavailable``: at most spec.replicas; 0 unless RollingUpdate."""
    if not is_rolling(d) or replicas(d) == 0:
        return 0
    return min(resolve_fenceposts(d)[1], replicas(d))


def new_rs_new_replicas(d: Obj, all_rss: list[Obj | None], new_rs: Obj) -> int:
    """``NewRSNewReplicas``: how far the new ReplicaSet may scale up now."""
    if not is_rolling(d):
        return replicas(d)
    surge = scaled_value(_rolling(d).get("maxSurge"), replicas(d), True)
    max_total = replicas(d) + surge
    current = spec_total(all_rss)
    if current >= max_total:
        return replicas(new_rs)
    scale_up = min(max_total - current, replicas(d) - replicas(new_rs))
    return replicas(new_rs) + scale_up


def is_saturated(d: Obj, rs: Obj | None) -> bool:
    """``IsSaturated``: the ReplicaSet runs all of the Deployment's replicas."""
    if rs is None:
        return False
    desired = annotation_int(rs, DESIRED_REPLICAS)
    return (desired == replicas(d) and replicas(rs) == replicas(d)
            and status_of(rs, "availableReplicas") == replicas(d))


# -- annotations ---------------------------------------------------------------------------
def annotations(obj: Obj) -> dict[str, str]:
    return obj["metadata"].get("annotations") or {}


def annotation_int(obj: Obj, key: str) -> int | None:
    try:
        return int(annotations(obj)[key])
    except (KeyError, ValueError):
        return None


def revision(obj: Obj) -> int:
    """``Revision``: the revision annotation, 0 when absent or bad."""
    return annotation_int(obj, REVISION) or 0


def max_revision(rss: list[Obj]) -> int:
    return max((revision(rs) for rs in rss), default=0)


def set_replicas_annotations(rs: Obj, desired: int, max_replicas: int) -> bool:
    """``SetReplicasAnnotations``."""
    notes = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in ((DESIRED_REPLICAS, str(desired)), (MAX_REPLICAS, str(max_replicas))):
        if notes.get(key) != value:
            notes[key] = value
            changed = True
    return changed


def replicas_annotations_need_update(rs: Obj, desired: int, max_replicas: int) -> bool:
    notes = annotations(rs)
    return (notes.get(DESIRED_REPLICAS) != str(desired)
            or notes.get(MAX_REPLICAS) != str(max_replicas))


def copy_annotations_to_rs(d: Obj, rs: Obj) -> bool:
    """``copyDeploymentAnnotationsToReplicaSet``."""
    notes = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in annotations(d).items():
        if key in ANNOTATIONS_TO_SKIP or notes.get(key) == value:
            continue
        notes[key] = value
        changed = True
    return changed


def set_new_rs_annotations(d: Obj, rs: Obj, new_revision: int, exists: bool) -> bool:
    """``SetNewReplicaSetAnnotations``: copied annotations, the revision (only
    ever raised; the old number goes to revision-history), and on creation
    desired-replicas and max-replicas."""
    changed = copy_annotations_to_rs(d, rs)
    notes = rs["metadata"].setdefault("annotations", {})
    old_text = notes.get(REVISION)
    try:
        old = int(old_text) if old_text is not None else 0
    except ValueError:
        return False
    if old < new_revision:
        notes[REVISION] = str(new_revision)
        changed = True
        if old_text is not None:
            _append_history(notes, old_text)
    if not exists and set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d)):
        changed = True
    return changed


def _append_history(notes: dict[str, str], old: str) -> None:
    history = notes.get(REVISION_HISTORY, "")
    if not history:
        notes[REVISION_HISTORY] = old
        return
    parts = history.split(",")
    total = len(history) + len(old) + 1
    start = 0
    while total > MAX_REV_HISTORY_CHARS and start < len(parts):
        total -= len(parts[start]) + 1
        start += 1
    if total <= MAX_REV_HISTORY_CHARS:
        notes[REVISION_HISTORY] = ",".join([*parts[start:], old])


def set_deployment_revision(d: Obj, rev: str) -> bool:
    """``SetDeploymentRevision``."""
    notes = d["metadata"].setdefault("annotations", {})
    if notes.get(REVISION) == rev:
        return False
    notes[REVISION] = rev
    return True


# -- ordering ---------------------------------------------------------------------------------
def _created(rs: Obj) -> float:
    return parse_time(rs["metadata"].get("creationTimestamp")) or 0.0


def by_creation(rss: list[Obj]) -> list[Obj]:
    """``ReplicaSetsByCreationTimestamp``: oldest first, then by name."""
    return sorted(rss, key=lambda rs: (_created(rs), rs["metadata"]["name"]))


def by_revision(rss: list[Obj]) -> list[Obj]:
    """``ReplicaSetsByRevision``: lowest revision first, then oldest."""
    return sorted(rss, key=lambda rs: (revision(rs), _created(rs), rs["metadata"]["name"]))


def by_size_older(rss: list[Obj]) -> list[Obj]:
    """``ReplicaSetsBySizeOlder``: largest first, older first among equals."""
    return sorted(by_creation(rss), key=lambda rs: -replicas(rs))


def by_size_newer(rss: list[Obj]) -> list[Obj]:
    """``ReplicaSetsBySizeNewer``: largest first, newer first among equals."""
    return sorted(list(reversed(by_creation(rss))), key=lambda rs: -replicas(rs))


# -- progress -----------------------------------------------------------------------------------
def has_progress_deadline(d: Obj) -> bool:
    value = (d.get("spec") or {}).get("progressDeadlineSeconds")
    return value is not None and value != MAX_INT32


def has_revision_history_limit(d: Obj) -> bool:
    value = (d.get("spec") or {}).get("revisionHistoryLimit")
    return value is not None and value != MAX_INT32


def deployment_complete(d: Obj, status: Obj) -> bool:
    """``DeploymentComplete``."""
    want = replicas(d)
    return (status.get("updatedReplicas", 0) == want and status.get("replicas", 0) == want
            and status.get("availableReplicas", 0) == want
            and status.get("observedGeneration", 0) >= d["metadata"].get("generation", 0))


def deployment_progressing(d: Obj, new: Obj) -> bool:
    """``DeploymentProgressing``: more updated, fewer old, more ready or available."""
    old = d.get("status") or {}

    def get(s: Obj, k: str) -> int:
        return int(s.get(k) or 0)

    old_old = get(old, "replicas") - get(old, "updatedReplicas")
    new_old = get(new, "replicas") - get(new, "updatedReplicas")
    return (get(new, "updatedReplicas") > get(old, "updatedReplicas") or new_old < old_old
            or get(new, "readyReplicas") > get(old, "readyReplicas")
            or get(new, "availableReplicas") > get(old, "availableReplicas"))
