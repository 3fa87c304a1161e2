"""ClusterRoles: a Role's columns without NAMESPACE."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class ClusterRoleRenderer(base.Renderer):
    kind = "ClusterRole"
    columns = (base.Column("NAME"), base.Column("RULES", num=True, right=True),
               base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.name_of(obj), str(len(obj.get("rules") or [])), base.created(obj))
