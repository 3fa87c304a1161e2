"""DaemonSets: counts of scheduled pods (not replicas) and the NODE SELECTOR."""

from __future__ import annotations

from typing import Any

from k9py.render import base
from k9py.render.workload_common import WIDE, spec_of, status_of


class DaemonSetRenderer(base.Renderer):
    kind = "DaemonSet"
    columns = base.with_namespace(
        base.Column("NAME"), base.Column("DESIRED", num=True, right=True),
        base.Column("CURRENT", num=True, right=True), base.Column("READY", num=True, right=True),
        base.Column("UP-TO-DATE", num=True, right=True),
        base.Column("AVAILABLE", num=True, right=True),
        base.Column("NODE SELECTOR"), *WIDE, base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        template = (spec_of(obj).get("template") or {}).get("spec") or {}
        return (base.namespace_of(obj), base.name_of(obj),
                str(base.int_or(st.get("desiredNumberScheduled"))),
                str(base.int_or(st.get("currentNumberScheduled"))),
                str(base.int_or(st.get("numberReady"))),
                str(base.int_or(st.get("updatedNumberScheduled"))),
                str(base.int_or(st.get("numberAvailable"))),
                base.map_selector_text(template.get("nodeSelector")), base.container_names(obj),
                base.images(obj), base.selector_text(spec_of(obj).get("selector")),
                base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        st = status_of(obj)
        return base.ratio_status(base.int_or(st.get("numberReady")),
                                 base.int_or(st.get("desiredNumberScheduled")))
