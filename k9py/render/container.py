"""A pod's containers (k9s's container view): one row per container of one pod.

The model feeds this renderer synthetic objects ``{"container", "status",
"init", "pod"}`` exploded from the pod's watch events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from k9py.render.base import (
    COMPLETED,
    ERROR,
    NA,
    OK,
    PENDING,
    Column,
    Obj,
    RenderContext,
    Renderer,
    parse_time,
)


def explode(pod: Obj) -> Iterator[tuple[str, Obj]]:
    """``(container name, row object)`` for each init and regular container."""
    spec, st = pod.get("spec") or {}, pod.get("status") or {}
    for init, specs, statuses in ((True, spec.get("initContainers"),
                                   st.get("initContainerStatuses")),
                                  (False, spec.get("containers"), st.get("containerStatuses"))):
        by_name = {s.get("name"): s for s in statuses or []}
        for c in specs or []:
            yield c.get("name", ""), {"container": c, "status": by_name.get(c.get("name")) or {},
                                      "init": init, "pod": pod}


def state_of(status: Obj) -> tuple[str, float]:
    """The container's state word and when it entered that state."""
    state = status.get("state") or {}
    if "running" in state:
        return "Running", parse_time(state["running"].get("startedAt"))
    if "terminated" in state:
        t = state["terminated"]
        return t.get("reason") or "Terminated", parse_time(t.get("finishedAt"))
    if "waiting" in state:
        return state["waiting"].get("reason") or "Waiting", float("nan")
    return "Pending", float("nan")


def _probes(c: Obj) -> str:
    return ":".join("on" if c.get(p) else "off" for p in ("livenessProbe", "readinessProbe"))


class ContainerRenderer(Renderer):
    kind = "Container"
    columns = (Column("NAME"), Column("IMAGE"), Column("READY"), Column("STATE"),
               Column("INIT"), Column("RESTARTS", num=True, right=True),
               Column("PROBES(L:R)"), Column("CPU", right=True), Column("MEM", right=True),
               Column("PORTS"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        c, st = obj["container"], obj["status"]
        state, since = state_of(st)
        ports = ",".join(f"{p.get('name', '')}:{p.get('containerPort')}" if p.get("name")
                         else str(p.get("containerPort")) for p in c.get("ports") or [])
        return (c.get("name", ""), c.get("image", ""), str(bool(st.get("ready"))).lower(), state,
                str(obj["init"]).lower(), str(st.get("restartCount", 0)), _probes(c), NA, NA,
                ports, since)

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        state = cells[3]
        if state == "Completed":
            return COMPLETED
        if state == "Running":
            return OK if cells[2] == "true" else PENDING
        if state in ("Pending", "ContainerCreating", "PodInitializing", "Waiting"):
            return PENDING
        return ERROR
