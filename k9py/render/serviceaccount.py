"""ServiceAccounts: the number of secrets they list."""

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


class ServiceAccountRenderer(Renderer):
    kind = "ServiceAccount"
    columns = with_namespace(Column("NAME"), Column("SECRETS", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj), str(len(obj.get("secrets") or [])),
                created(obj))
