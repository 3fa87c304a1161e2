"""Secrets: TYPE and the number of keys; values are never rendered in the table."""

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


class SecretRenderer(Renderer):
    kind = "Secret"
    columns = with_namespace(Column("NAME"), Column("TYPE"), Column("DATA", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        count = len(obj.get("data") or {}) + len(obj.get("stringData") or {})
        return (namespace_of(obj), name_of(obj), obj.get("type", "Opaque"), str(count),
                created(obj))
