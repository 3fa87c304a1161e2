"""PersistentVolumes (cluster-scoped): CAPACITY, ACCESS MODES, RECLAIM POLICY, CLAIM."""

from __future__ import annotations

from typing import Any

from k9py.render.base import Column, Obj, RenderContext, Renderer, created, name_of
from k9py.render.volume_common import access_modes, phase_status


class PersistentVolumeRenderer(Renderer):
    kind = "PersistentVolume"
    columns = (Column("NAME"), Column("CAPACITY"), Column("ACCESS MODES"),
               Column("RECLAIM POLICY"), Column("STATUS"), Column("CLAIM"),
               Column("STORAGECLASS"), Column("REASON"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        ref = spec.get("claimRef") or {}
        claim = f"{ref.get('namespace')}/{ref.get('name')}" if ref else ""
        return (name_of(obj), (spec.get("capacity") or {}).get("storage", ""),
                access_modes(spec.get("accessModes")),
                spec.get("persistentVolumeReclaimPolicy", ""), st.get("phase", ""), claim,
                spec.get("storageClassName", ""), st.get("reason", ""), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return phase_status(cells[4])
