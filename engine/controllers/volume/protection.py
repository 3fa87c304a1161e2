"""Storage object in-use protection: the finalizers that keep a claim while
a pod uses it and a volume while it is bound.

Upstream: ``pkg/controller/volume/pvcprotection/pvc_protection_controller.go``
(:mod:`engine.controllers.volume.pvcprotection`) and
``pkg/controller/volume/pvprotection/pv_protection_controller.go`` (here: a
deleted volume keeps ``kubernetes.io/pv-protection`` while it is Bound).
Both controllers also put their finalizer back on a live object that lacks
it (``protectionutil.NeedToAddFinalizer``): the StorageObjectInUseProtection
admission plugin adds it at creation, the controller covers objects created
before the plugin was enabled.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.volume.finalizers import (
    is_deletion_candidate,
    need_to_add_finalizer,
    update,
    with_finalizer,
    without_finalizer,
)
from engine.controllers.volume.pvcprotection import (
    PVC_FINALIZER,
    PVCProtectionController,
    pod_claims,
)
from engine.runtime import Controller, SharedInformerFactory

Obj = dict[str, Any]
PV_FINALIZER = "kubernetes.io/pv-protection"

__all__ = ["PVCProtectionController", "PVProtectionController", "PVC_FINALIZER",
           "PV_FINALIZER", "pod_claims"]


class PVProtectionController(Controller):
    """``pvprotection.Controller``: ``processPV``."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="pv-protection")
        self.client = client
        volumes = factory.informer_for("persistentvolumes")
        self.volumes = volumes.lister()
        self.watch(volumes, self._interesting)

    @staticmethod
    def _interesting(volume: Obj) -> str | None:
        """``pvAddedUpdated``: only volumes that need the finalizer or may lose it."""
        if need_to_add_finalizer(volume, PV_FINALIZER) or \
                is_deletion_candidate(volume, PV_FINALIZER):
            return volume["metadata"]["name"]
        return None

    async def reconcile(self, key: str) -> float | None:
        volume = self.volumes.get(None, key)
        if volume is None:
            return None
        # isBeingUsed: a Bound volume is in use.
        if is_deletion_candidate(volume, PV_FINALIZER) and \
                (volume.get("status") or {}).get("phase") != "Bound":
            update(self.client, "persistentvolumes", without_finalizer(volume, PV_FINALIZER))
            return None
        if need_to_add_finalizer(volume, PV_FINALIZER):
            update(self.client, "persistentvolumes", with_finalizer(volume, PV_FINALIZER))
        return None
