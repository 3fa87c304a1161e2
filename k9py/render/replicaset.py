"""ReplicaSets: DESIRED, CURRENT, READY as kubectl prints them."""

from __future__ import annotations

from typing import Any

from k9py.render import base
from k9py.render.workload_common import WIDE, desired, spec_of, status_of


class ReplicaSetRenderer(base.Renderer):
    kind = "ReplicaSet"
    columns = base.with_namespace(
        base.Column("NAME"), base.Column("DESIRED", num=True, right=True),
        base.Column("CURRENT", num=True, right=True), base.Column("READY", num=True, right=True),
        *WIDE, base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        return (base.namespace_of(obj), base.name_of(obj), str(desired(obj)),
                str(base.int_or(st.get("replicas"))),
                str(base.int_or(st.get("readyReplicas"))), base.container_names(obj),
                base.images(obj), self.selector(obj), base.created(obj))

    def selector(self, obj: base.Obj) -> str:
        """spec.selector is a LabelSelector here; ReplicationControllers use a plain map."""
        return base.selector_text(spec_of(obj).get("selector"))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        return base.ratio_status(base.int_or(status_of(obj).get("readyReplicas")), desired(obj))
