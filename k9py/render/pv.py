"""PersistentVolumes (cluster-scoped): CAPACITY, ACCESS MODES, RECLAIM POLICY, CLAIM."""

from __future__ import annotations

from typing import Any

from k9py.render import base
from k9py.render.volume_common import access_modes, phase_status


class PersistentVolumeRenderer(base.Renderer):
    kind = "PersistentVolume"
    columns = (base.Column("NAME"), base.Column("CAPACITY"), base.Column("ACCESS MODES"),
               base.Column("RECLAIM POLICY"), base.Column("STATUS"), base.Column("CLAIM"),
               base.Column("STORAGECLASS"), base.Column("REASON"), base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        ref = spec.get("claimRef") or {}
        claim = f"{ref.get('namespace')}/{ref.get('name')}" if ref else ""
        return (base.name_of(obj), (spec.get("capacity") or {}).get("storage", ""),
                access_modes(spec.get("accessModes")),
                spec.get("persistentVolumeReclaimPolicy", ""), st.get("phase", ""), claim,
                spec.get("storageClassName", ""), st.get("reason", ""), base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        return phase_status(cells[4])
