"""ServiceAccounts: the number of secrets they list."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class ServiceAccountRenderer(base.Renderer):
    kind = "ServiceAccount"
    columns = base.with_namespace(base.Column("NAME"), base.Column("SECRETS", num=True, right=True),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.namespace_of(obj), base.name_of(obj), str(len(obj.get("secrets") or [])),
                base.created(obj))
