"""ConfigMaps: DATA counts both data and binaryData keys, as kubectl does."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class ConfigMapRenderer(base.Renderer):
    kind = "ConfigMap"
    columns = base.with_namespace(base.Column("NAME"), base.Column("DATA", num=True, right=True),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
        return (base.namespace_of(obj), base.name_of(obj), str(count), base.created(obj))
