"""StorageClasses (cluster-scoped): the default class is marked ``(default)`` by name."""

from __future__ import annotations

from typing import Any

from k9py.render.base import Column, Obj, RenderContext, Renderer, created, name_of


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
