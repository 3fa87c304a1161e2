"""ClusterRoles: a Role's columns without NAMESPACE."""

from __future__ import annotations

from typing import Any

from k9py.render.base import Column, Obj, RenderContext, Renderer, created, name_of


class ClusterRoleRenderer(Renderer):
    kind = "ClusterRole"
    columns = (Column("NAME"), Column("RULES", num=True, right=True), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (name_of(obj), str(len(obj.get("rules") or [])), created(obj))
