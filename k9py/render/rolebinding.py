"""RoleBindings: the ROLE they bind and their subjects, split by kind (wide)."""

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


def subjects(obj: Obj, kind: str) -> str:
    """The names of a binding's subjects of one kind (User, Group, ServiceAccount)."""
    return join(s.get("name") for s in obj.get("subjects") or [] if s.get("kind") == kind)


class RoleBindingRenderer(Renderer):
    kind = "RoleBinding"
    columns = with_namespace(Column("NAME"), Column("ROLE"), Column("USERS", wide=True),
                             Column("GROUPS", wide=True), Column("SERVICEACCOUNTS", wide=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        ref = obj.get("roleRef") or {}
        return (namespace_of(obj), name_of(obj), f"{ref.get('kind')}/{ref.get('name')}",
                subjects(obj, "User"), subjects(obj, "Group"),
                subjects(obj, "ServiceAccount"), created(obj))
