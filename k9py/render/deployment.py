"""Deployments: kubectl's printer, with k9s's READY = ready/desired."""

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
    labels_text,
    name_of,
    namespace_of,
    ratio_status,
    selector_text,
    with_namespace,
)
from k9py.render.workload_common import WIDE, desired, spec_of, status_of


class DeploymentRenderer(Renderer):
    kind = "Deployment"
    columns = with_namespace(
        Column("NAME"), Column("READY"), Column("UP-TO-DATE", num=True, right=True),
        Column("AVAILABLE", num=True, right=True), *WIDE,
        Column("LABELS", wide=True, max_width=60), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        return (namespace_of(obj), name_of(obj), f"{int_or(st.get('readyReplicas'))}/{desired(obj)}",
                str(int_or(st.get("updatedReplicas"))), str(int_or(st.get("availableReplicas"))),
                container_names(obj), images(obj), selector_text(spec_of(obj).get("selector")),
                labels_text(obj), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        """Pending until as many replicas are available (not merely ready) as desired."""
        return ratio_status(int_or(status_of(obj).get("availableReplicas")), desired(obj))
