"""StorageClasses (cluster-scoped): the default class is marked ``(default)`` by name."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class StorageClassRenderer(base.Renderer):
    kind = "StorageClass"
    columns = (base.Column("NAME"), base.Column("PROVISIONER"), base.Column("RECLAIMPOLICY"),
               base.Column("VOLUMEBINDINGMODE"), base.Column("ALLOWVOLUMEEXPANSION"),
               base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        default = ((obj.get("metadata") or {}).get("annotations") or {}).get(
            "storageclass.kubernetes.io/is-default-class") == "true"
        return (base.name_of(obj) + (" (default)" if default else ""), obj.get("provisioner", ""),
                obj.get("reclaimPolicy", "Delete"),
                obj.get("volumeBindingMode", "Immediate"),
                str(bool(obj.get("allowVolumeExpansion"))).lower(), base.created(obj))
