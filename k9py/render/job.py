"""Jobs (kubectl 1.32 printer: STATUS, COMPLETIONS, DURATION)."""

from __future__ import annotations

import math
from typing import Any

from k9py.render import base


def job_status(job: base.Obj) -> str:
    """kubectl 1.32: Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet, Running."""
    for kind, label in (("Complete", "Complete"), ("Failed", "Failed"),
                        ("Suspended", "Suspended"), ("FailureTarget", "FailureTarget"),
                        ("SuccessCriteriaMet", "SuccessCriteriaMet")):
        c = base.condition(job, kind)
        if c and c.get("status") == "True":
            return label
    if "deletionTimestamp" in (job.get("metadata") or {}):
        return "Terminating"
    return "Running"


def _completions(job: base.Obj) -> str:
    spec, st = job.get("spec") or {}, job.get("status") or {}
    succeeded = base.int_or(st.get("succeeded"))
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = base.int_or(spec.get("parallelism"), 0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _duration(job: base.Obj, now: float) -> str:
    st = job.get("status") or {}
    start = base.parse_time(st.get("startTime"))
    if math.isnan(start):
        return ""
    end = base.parse_time(st.get("completionTime"))
    return base.human_duration((now if math.isnan(end) else end) - start)


class JobRenderer(base.Renderer):
    kind = "Job"
    columns = base.with_namespace(
        base.Column("NAME"), base.Column("STATUS"), base.Column("COMPLETIONS"),
        base.Column("DURATION"),
        base.Column("CONTAINERS", wide=True), base.Column("IMAGES", wide=True, max_width=60),
        base.Column("SELECTOR", wide=True, max_width=60), base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.namespace_of(obj), base.name_of(obj), job_status(obj), _completions(obj),
                _duration(obj, ctx.now()), base.container_names(obj), base.images(obj),
                base.selector_text((obj.get("spec") or {}).get("selector")), base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        return {"Complete": base.COMPLETED, "Failed": base.ERROR, "FailureTarget": base.ERROR,
                "Suspended": base.PENDING, "Terminating": base.PENDING}.get(cells[2], base.OK)
