"""PersistentVolumes, PersistentVolumeClaims, StorageClasses."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    ERROR,
    NONE,
    OK,
    PENDING,
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    name_of,
    namespace_of,
    with_namespace,
)

_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
          "ReadWriteOncePod": "RWOP"}


def access_modes(modes: list[str] | None) -> str:
    return ",".join(_MODES.get(m, m) for m in modes or [])


def _phase_status(phase: str) -> str:
    return {"Bound": OK, "Available": OK, "Pending": PENDING, "Released": PENDING}.get(
        phase, ERROR)


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
        return _phase_status(cells[4])


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
        return _phase_status(cells[2])


class StorageClassRenderer(Renderer):
    kind = "StorageClass"
    columns = (Column("NAME"), Column("PROVISIONER"), Column("RECLAIMPOLICY"),
               Column("VOLUMEBINDINGMODE"), Column("ALLOWVOLUMEEXPANSION"),
               Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        default = ((obj.get("metadata") or {}).get("annotations") or {}).get(
            "storageclass.kubernetes.io/is-default-class") == "true"
        return (name_of(obj) + (" (default)" if default else ""), obj.get("provisioner", ""),
                obj.get("reclaimPolicy", "Delete"),
                obj.get("volumeBindingMode", "Immediate"),
                str(bool(obj.get("allowVolumeExpansion"))).lower(), created(obj))
