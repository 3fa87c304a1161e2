"""What happens to a volume whose claim is gone: its reclaim policy.

Upstream: ``pv_controller.go`` ``reclaimVolume``: Retain keeps the volume
Released; Recycle scrubs it (hostPath and NFS only) and makes it
Available again; Delete removes it, through the provisioner that made it
(``pv.kubernetes.io/provisioned-by``), else fails with the deleter error.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.volume import constants as c

Obj = dict[str, Any]
RECYCLABLE = ("hostPath", "nfs")


class Reclaimer:
    def __init__(self, binder: Any, provisioner: Any, recorder: Any) -> None:
        self.binder = binder
        self.provisioner = provisioner
        self.recorder = recorder

    def released(self, volume: Obj) -> None:
        phase = (volume.get("status") or {}).get("phase")
        if phase == "Failed":
            return
        if phase != "Released":
            volume = self.binder.volume_phase(volume, "Released")
        policy = (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy") or "Retain"
        if policy == "Delete":
            self.delete(volume)
        elif policy == "Recycle":
            self.recycle(volume)

    def delete(self, volume: Obj) -> None:
        annotations = volume["metadata"].get("annotations") or {}
        if annotations.get(c.PROVISIONED_BY) in c.SIMULATED_PROVISIONERS:
            self.provisioner.delete(volume)
            return
        message = (f'error getting deleter volume plugin for volume '
                   f'"{volume["metadata"]["name"]}": no deletable volume plugin matched')
        self.recorder.event(volume, "Warning", c.VOLUME_FAILED_DELETE, message)
        self.binder.volume_phase(volume, "Failed", message)

    def recycle(self, volume: Obj) -> None:
        spec = volume.get("spec") or {}
        if not any(spec.get(kind) for kind in RECYCLABLE):
            message = "No recycler plugin found for the volume!"
            self.recorder.event(volume, "Warning", c.VOLUME_FAILED_RECYCLE, message)
            self.binder.volume_phase(volume, "Failed", message)
            return
        self.recorder.event(volume, "Normal", c.VOLUME_RECYCLED, "Volume recycled")
        self.binder.unbind_volume(volume)
