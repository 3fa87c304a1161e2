"""ConfigMaps: DATA counts both data and binaryData keys, as kubectl does."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    name_of,
    namespace_of,
    with_namespace,
)


class ConfigMapRenderer(Renderer):
    kind = "ConfigMap"
    columns = with_namespace(Column("NAME"), Column("DATA", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
        return (namespace_of(obj), name_of(obj), str(count), created(obj))
