"""Roles: the number of RULES they grant."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class RoleRenderer(base.Renderer):
    kind = "Role"
    columns = base.with_namespace(base.Column("NAME"), base.Column("RULES", num=True, right=True),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.namespace_of(obj), base.name_of(obj), str(len(obj.get("rules") or [])),
                base.created(obj))
