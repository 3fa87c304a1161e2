"""Roles, ClusterRoles and their bindings."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    join,
    name_of,
    namespace_of,
    with_namespace,
)


def _subjects(obj: Obj, kind: str) -> str:
    return join(s.get("name") for s in obj.get("subjects") or [] if s.get("kind") == kind)


class RoleRenderer(Renderer):
    kind = "Role"
    columns = with_namespace(Column("NAME"), Column("RULES", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj), str(len(obj.get("rules") or [])), created(obj))


class ClusterRoleRenderer(Renderer):
    kind = "ClusterRole"
    columns = (Column("NAME"), Column("RULES", num=True, right=True), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (name_of(obj), str(len(obj.get("rules") or [])), created(obj))


class RoleBindingRenderer(Renderer):
    kind = "RoleBinding"
    columns = with_namespace(Column("NAME"), Column("ROLE"), Column("USERS", wide=True),
                             Column("GROUPS", wide=True), Column("SERVICEACCOUNTS", wide=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        ref = obj.get("roleRef") or {}
        return (namespace_of(obj), name_of(obj), f"{ref.get('kind')}/{ref.get('name')}",
                _subjects(obj, "User"), _subjects(obj, "Group"),
                _subjects(obj, "ServiceAccount"), created(obj))


class ClusterRoleBindingRenderer(RoleBindingRenderer):
    kind = "ClusterRoleBinding"
    columns = (Column("NAME"), Column("ROLE"), Column("USERS", wide=True),
               Column("GROUPS", wide=True), Column("SERVICEACCOUNTS", wide=True),
               Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return super().cells(obj, ctx)[1:]
