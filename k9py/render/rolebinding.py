"""RoleBindings: the ROLE they bind and their subjects, split by kind (wide)."""

from __future__ import annotations

from typing import Any

from k9py.render import base


def subjects(obj: base.Obj, kind: str) -> str:
    """The names of a binding's subjects of one kind (User, Group, ServiceAccount)."""
    return base.join(s.get("name") for s in obj.get("subjects") or [] if s.get("kind") == kind)


class RoleBindingRenderer(base.Renderer):
    kind = "RoleBinding"
    columns = base.with_namespace(base.Column("NAME"), base.Column("ROLE"),
                                  base.Column("USERS", wide=True),
                                  base.Column("GROUPS", wide=True),
                                  base.Column("SERVICEACCOUNTS", wide=True),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        ref = obj.get("roleRef") or {}
        return (base.namespace_of(obj), base.name_of(obj), f"{ref.get('kind')}/{ref.get('name')}",
                subjects(obj, "User"), subjects(obj, "Group"),
                subjects(obj, "ServiceAccount"), base.created(obj))
