"""Defaults for ``apps/v1``.

Upstream: ``pkg/apis/apps/v1/defaults.go`` (``SetDefaults_Deployment``,
``SetDefaults_ReplicaSet``, ``SetDefaults_StatefulSet``, ``SetDefaults_DaemonSet``)
and ``zz_generated.defaults.go`` (pod template defaults; StatefulSet volume
claim templates get the PersistentVolumeClaim defaults, status phase included).
Feature gates as in v1.32: StatefulSetAutoDeletePVC on, MaxUnavailableStatefulSet off.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults._util import child, ensure, items, set_if_empty, set_if_none
from engine.api.defaults.core import default_persistent_volume_claim
from engine.api.defaults.podspec import default_template

Obj = dict[str, Any]

REVISION_HISTORY_LIMIT = 10
PROGRESS_DEADLINE_SECONDS = 600


def default_deployment(obj: Obj) -> None:
    """``SetDefaults_Deployment``: replicas 1, RollingUpdate 25%/25%, history 10,
    progress deadline 600s."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    set_if_none(spec, "replicas", 1)
    strategy = ensure(spec, "strategy")
    if strategy is not None:
        set_if_empty(strategy, "type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = ensure(strategy, "rollingUpdate")
            if rolling is not None:
                set_if_none(rolling, "maxUnavailable", "25%")
                set_if_none(rolling, "maxSurge", "25%")
    set_if_none(spec, "revisionHistoryLimit", REVISION_HISTORY_LIMIT)
    set_if_none(spec, "progressDeadlineSeconds", PROGRESS_DEADLINE_SECONDS)
    default_template(ensure(spec, "template"))


def default_replica_set(obj: Obj) -> None:
    """``SetDefaults_ReplicaSet``: replicas 1."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    set_if_none(spec, "replicas", 1)
    default_template(ensure(spec, "template"))


def default_stateful_set(obj: Obj) -> None:
    """``SetDefaults_StatefulSet``."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    set_if_empty(spec, "podManagementPolicy", "OrderedReady")
    strategy = ensure(spec, "updateStrategy")
    if strategy is not None:
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
            set_if_none(strategy, "rollingUpdate", {})
        # Only an existing rollingUpdate gets its partition (upstream quirk:
        # an explicit type RollingUpdate alone leaves rollingUpdate unset).
        rolling = child(strategy, "rollingUpdate")
        if strategy["type"] == "RollingUpdate" and rolling is not None:
            set_if_none(rolling, "partition", 0)
    retention = ensure(spec, "persistentVolumeClaimRetentionPolicy")
    if retention is not None:
        set_if_empty(retention, "whenDeleted", "Retain")
        set_if_empty(retention, "whenScaled", "Retain")
    set_if_none(spec, "replicas", 1)
    set_if_none(spec, "revisionHistoryLimit", REVISION_HISTORY_LIMIT)
    default_template(ensure(spec, "template"))
    for claim in items(spec, "volumeClaimTemplates"):
        default_persistent_volume_claim(claim)


def default_daemon_set(obj: Obj) -> None:
    """``SetDefaults_DaemonSet``: RollingUpdate with maxUnavailable 1, maxSurge 0;
    history 10."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    strategy = ensure(spec, "updateStrategy")
    if strategy is not None:
        set_if_empty(strategy, "type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = ensure(strategy, "rollingUpdate")
            if rolling is not None:
                set_if_none(rolling, "maxUnavailable", 1)
                set_if_none(rolling, "maxSurge", 0)
    set_if_none(spec, "revisionHistoryLimit", REVISION_HISTORY_LIMIT)
    default_template(ensure(spec, "template"))


DEFAULTERS = {
    ("apps", "Deployment"): default_deployment,
    ("apps", "ReplicaSet"): default_replica_set,
    ("apps", "StatefulSet"): default_stateful_set,
    ("apps", "DaemonSet"): default_daemon_set,
}
