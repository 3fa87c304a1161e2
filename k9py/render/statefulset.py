"""StatefulSets: READY = ready/desired and the governing SERVICE."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    Column,
    Obj,
    RenderContext,
    Renderer,
    container_names,
    created,
    images,
    int_or,
    name_of,
    namespace_of,
    ratio_status,
    with_namespace,
)
from k9py.render.workload_common import desired, spec_of, status_of


class StatefulSetRenderer(Renderer):
    kind = "StatefulSet"
    columns = with_namespace(
        Column("NAME"), Column("READY"), Column("SERVICE"), Column("CONTAINERS", wide=True),
        Column("IMAGES", wide=True, max_width=60), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        return (namespace_of(obj), name_of(obj), f"{int_or(st.get('readyReplicas'))}/{desired(obj)}",
                spec_of(obj).get("serviceName") or "", container_names(obj), images(obj),
                created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return ratio_status(int_or(status_of(obj).get("readyReplicas")), desired(obj))
