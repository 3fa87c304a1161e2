"""PersistentVolumeClaims: STATUS, the bound VOLUME and what it granted."""

from __future__ import annotations

from typing import Any

from k9py.render import base
from k9py.render.volume_common import access_modes, phase_status


class PersistentVolumeClaimRenderer(base.Renderer):
    kind = "PersistentVolumeClaim"
    columns = base.with_namespace(base.Column("NAME"), base.Column("STATUS"), base.Column("VOLUME"),
                                  base.Column("CAPACITY"), base.Column("ACCESS MODES"),
                                  base.Column("STORAGECLASS"),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        return (base.namespace_of(obj), base.name_of(obj), st.get("phase", "Pending"),
                spec.get("volumeName", ""), (st.get("capacity") or {}).get("storage", ""),
                access_modes(st.get("accessModes")), spec.get("storageClassName") or base.NONE,
                base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        return phase_status(cells[2])
