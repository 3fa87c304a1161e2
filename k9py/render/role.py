"""Roles: the number of RULES they grant."""

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


class RoleRenderer(Renderer):
    kind = "Role"
    columns = with_namespace(Column("NAME"), Column("RULES", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj), str(len(obj.get("rules") or [])), created(obj))
