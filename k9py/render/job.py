"""Jobs (kubectl 1.32 printer: STATUS, COMPLETIONS, DURATION)."""

from __future__ import annotations

import math
from typing import Any

from k9py.render.base import (
    COMPLETED,
    ERROR,
    OK,
    PENDING,
    Column,
    Obj,
    RenderContext,
    Renderer,
    condition,
    container_names,
    created,
    human_duration,
    images,
    int_or,
    name_of,
    namespace_of,
    parse_time,
    selector_text,
    with_namespace,
)


def job_status(job: Obj) -> str:
    """kubectl 1.32: Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet, Running."""
    for kind, label in (("Complete", "Complete"), ("Failed", "Failed"),
                        ("Suspended", "Suspended"), ("FailureTarget", "FailureTarget"),
                        ("SuccessCriteriaMet", "SuccessCriteriaMet")):
        c = condition(job, kind)
        if c and c.get("status") == "True":
            return label
    if "deletionTimestamp" in (job.get("metadata") or {}):
        return "Terminating"
    return "Running"


def _completions(job: Obj) -> str:
    spec, st = job.get("spec") or {}, job.get("status") or {}
    succeeded = int_or(st.get("succeeded"))
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = int_or(spec.get("parallelism"), 0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _duration(job: Obj, now: float) -> str:
    st = job.get("status") or {}
    start = parse_time(st.get("startTime"))
    if math.isnan(start):
        return ""
    end = parse_time(st.get("completionTime"))
    return human_duration((now if math.isnan(end) else end) - start)


class JobRenderer(Renderer):
    kind = "Job"
    columns = with_namespace(
        Column("NAME"), Column("STATUS"), Column("COMPLETIONS"), Column("DURATION"),
        Column("CONTAINERS", wide=True), Column("IMAGES", wide=True, max_width=60),
        Column("SELECTOR", wide=True, max_width=60), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj), job_status(obj), _completions(obj),
                _duration(obj, ctx.now()), container_names(obj), images(obj),
                selector_text((obj.get("spec") or {}).get("selector")), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return {"Complete": COMPLETED, "Failed": ERROR, "FailureTarget": ERROR,
                "Suspended": PENDING, "Terminating": PENDING}.get(cells[2], OK)
