"""PersistentVolumeClaims: STATUS, the bound VOLUME and what it granted."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    NONE,
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    name_of,
    namespace_of,
    with_namespace,
)
from k9py.render.volume_common import access_modes, phase_status


class PersistentVolumeClaimRenderer(Renderer):
    kind = "PersistentVolumeClaim"
    columns = with_namespace(Column("NAME"), Column("STATUS"), Column("VOLUME"),
                             Column("CAPACITY"), Column("ACCESS MODES"), Column("STORAGECLASS"),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        return (namespace_of(obj), name_of(obj), st.get("phase", "Pending"),
                spec.get("volumeName", ""), (st.get("capacity") or {}).get("storage", ""),
                access_modes(st.get("accessModes")), spec.get("storageClassName") or NONE,
                created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return phase_status(cells[2])
