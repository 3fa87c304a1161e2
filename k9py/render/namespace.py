"""Namespaces: STATUS (phase); a Terminating namespace is shown as being killed."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class NamespaceRenderer(base.Renderer):
    kind = "Namespace"
    columns = (base.Column("NAME"), base.Column("STATUS"),
               base.Column("LABELS", wide=True, max_width=60),
               base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.name_of(obj), (obj.get("status") or {}).get("phase", "Active"),
                base.labels_text(obj), base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        return base.KILL if cells[1] == "Terminating" else base.OK
