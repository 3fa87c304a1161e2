"""Namespaces: STATUS (phase); a Terminating namespace is shown as being killed."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    KILL,
    OK,
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    labels_text,
    name_of,
)


class NamespaceRenderer(Renderer):
    kind = "Namespace"
    columns = (Column("NAME"), Column("STATUS"), Column("LABELS", wide=True, max_width=60),
               Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (name_of(obj), (obj.get("status") or {}).get("phase", "Active"), labels_text(obj),
                created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return KILL if cells[1] == "Terminating" else OK
