"""StatefulSets: READY = ready/desired and the governing SERVICE."""

from __future__ import annotations

from typing import Any

from k9py.render import base
from k9py.render.workload_common import desired, spec_of, status_of


class StatefulSetRenderer(base.Renderer):
    kind = "StatefulSet"
    columns = base.with_namespace(
        base.Column("NAME"), base.Column("READY"), base.Column("SERVICE"),
        base.Column("CONTAINERS", wide=True),
        base.Column("IMAGES", wide=True, max_width=60), base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        return (base.namespace_of(obj), base.name_of(obj),
                f"{base.int_or(st.get('readyReplicas'))}/{desired(obj)}",
                spec_of(obj).get("serviceName") or "", base.container_names(obj), base.images(obj),
                base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        return base.ratio_status(base.int_or(status_of(obj).get("readyReplicas")), desired(obj))
