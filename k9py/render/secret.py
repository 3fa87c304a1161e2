"""Secrets: TYPE and the number of keys; values are never rendered in the table."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class SecretRenderer(base.Renderer):
    kind = "Secret"
    columns = base.with_namespace(base.Column("NAME"), base.Column("TYPE"),
                                  base.Column("DATA", num=True, right=True),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        count = len(obj.get("data") or {}) + len(obj.get("stringData") or {})
        return (base.namespace_of(obj), base.name_of(obj), obj.get("type", "Opaque"), str(count),
                base.created(obj))
