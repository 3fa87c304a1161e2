"""Persistent volumes and claims (upstream ``pkg/registry/core/persistentvolume``
and ``persistentvolumeclaim`` ``strategy.go``).

A new volume starts ``Pending`` with ``lastPhaseTransitionTime`` set to its
creation time (PersistentVolumeLastPhaseTransitionTime, GA in v1.31); a new
claim starts ``Pending`` (upstream resets the claim's status and its read-back
is defaulted to Pending). Status writes keep the volume's transition time
while its phase is unchanged. Neither kind has a generation.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults.core import (
    default_persistent_volume_claim_status,
    default_persistent_volume_status,
)
from engine.api.strategies.base import StatusStrategy, Strategy

Obj = dict[str, Any]


class PersistentVolumeStrategy(Strategy):
    """``persistentvolumeStrategy``."""

    def initial_status(self, obj: Obj) -> Obj:
        status: Obj = {"phase": "Pending"}
        created = (obj.get("metadata") or {}).get("creationTimestamp")
        if created:
            status["lastPhaseTransitionTime"] = created
        return status

    def default_status(self, obj: Obj) -> None:
        default_persistent_volume_status(obj)


class PersistentVolumeStatusStrategy(StatusStrategy):
    """``persistentvolumeStatusStrategy``: the spec is the stored one; an
    unchanged phase keeps its transition time."""

    kept_metadata = ()

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        status, old_status = new.get("status"), old.get("status") or {}
        if not isinstance(status, dict):
            return
        if (
            status.get("phase") == old_status.get("phase")
            and status.get("lastPhaseTransitionTime") is None
            and old_status.get("lastPhaseTransitionTime") is not None
        ):
            status["lastPhaseTransitionTime"] = old_status["lastPhaseTransitionTime"]


PersistentVolumeStrategy.status_class = PersistentVolumeStatusStrategy


class PersistentVolumeClaimStrategy(Strategy):
    """``persistentvolumeclaimStrategy``."""

    zero_status = {"phase": "Pending"}

    def default_status(self, obj: Obj) -> None:
        default_persistent_volume_claim_status(obj)


class PersistentVolumeClaimStatusStrategy(StatusStrategy):
    """``persistentvolumeclaimStatusStrategy``: the spec is the stored one."""

    kept_metadata = ()


PersistentVolumeClaimStrategy.status_class = PersistentVolumeClaimStatusStrategy

STRATEGIES = {
    ("", "persistentvolumes"): PersistentVolumeStrategy,
    ("", "persistentvolumeclaims"): PersistentVolumeClaimStrategy,
}
