"""Deployments: kubectl's printer, with k9s's READY = ready/desired."""

from __future__ import annotations

from typing import Any

from k9py.render import base
from k9py.render.workload_common import WIDE, desired, spec_of, status_of


class DeploymentRenderer(base.Renderer):
    kind = "Deployment"
    columns = base.with_namespace(
        base.Column("NAME"), base.Column("READY"), base.Column("UP-TO-DATE", num=True, right=True),
        base.Column("AVAILABLE", num=True, right=True), *WIDE,
        base.Column("LABELS", wide=True, max_width=60), base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        st = status_of(obj)
        return (base.namespace_of(obj), base.name_of(obj),
                f"{base.int_or(st.get('readyReplicas'))}/{desired(obj)}",
                str(base.int_or(st.get("updatedReplicas"))),
                str(base.int_or(st.get("availableReplicas"))),
                base.container_names(obj), base.images(obj),
                base.selector_text(spec_of(obj).get("selector")),
                base.labels_text(obj), base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        """Pending until as many replicas are available (not merely ready) as desired."""
        return base.ratio_status(base.int_or(status_of(obj).get("availableReplicas")), desired(obj))
