"""ClusterRoleBindings: a RoleBinding's columns without NAMESPACE."""

from __future__ import annotations

from typing import Any

from k9py.render import base
from k9py.render.rolebinding import RoleBindingRenderer


class ClusterRoleBindingRenderer(RoleBindingRenderer):
    kind = "ClusterRoleBinding"
    columns = RoleBindingRenderer.columns[1:]

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return super().cells(obj, ctx)[1:]
