"""ReplicaSets: DESIRED, CURRENT, READY as kubectl prints them."""

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
    selector_text,
    with_namespace,
)
from k9py.render.workload_common import WIDE, desired, spec_of, status_of


class ReplicaSetRenderer(Renderer):
    kind = "ReplicaSet"
    columns = with_namespace(
        Column("NAME"), Column("DESIRED", num=True, right=True),
        Column("CURRENT", num=True, right=True), Column("READY", num=True, right=True),
        *WIDE, Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        return (namespace_of(obj), name_of(obj), str(desired(obj)), str(int_or(st.get("replicas"))),
                str(int_or(st.get("readyReplicas"))), container_names(obj), images(obj),
                self.selector(obj), created(obj))

    def selector(self, obj: Obj) -> str:
        """spec.selector is a LabelSelector here; ReplicationControllers use a plain map."""
        return selector_text(spec_of(obj).get("selector"))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return ratio_status(int_or(status_of(obj).get("readyReplicas")), desired(obj))
