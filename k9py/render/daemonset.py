"""DaemonSets: counts of scheduled pods (not replicas) and the NODE SELECTOR."""

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
    map_selector_text,
    name_of,
    namespace_of,
    ratio_status,
    selector_text,
    with_namespace,
)
from k9py.render.workload_common import WIDE, spec_of, status_of


class DaemonSetRenderer(Renderer):
    kind = "DaemonSet"
    columns = with_namespace(
        Column("NAME"), Column("DESIRED", num=True, right=True),
        Column("CURRENT", num=True, right=True), Column("READY", num=True, right=True),
        Column("UP-TO-DATE", num=True, right=True), Column("AVAILABLE", num=True, right=True),
        Column("NODE SELECTOR"), *WIDE, Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        template = (spec_of(obj).get("template") or {}).get("spec") or {}
        return (namespace_of(obj), name_of(obj), str(int_or(st.get("desiredNumberScheduled"))),
                str(int_or(st.get("currentNumberScheduled"))), str(int_or(st.get("numberReady"))),
                str(int_or(st.get("updatedNumberScheduled"))),
                str(int_or(st.get("numberAvailable"))),
                map_selector_text(template.get("nodeSelector")), container_names(obj),
                images(obj), selector_text(spec_of(obj).get("selector")), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        st = status_of(obj)
        return ratio_status(int_or(st.get("numberReady")), int_or(st.get("desiredNumberScheduled")))
