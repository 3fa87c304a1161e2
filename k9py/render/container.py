"""A pod's containers (k9s's container view): one row per container of one pod.

The model feeds this renderer synthetic objects ``{"container", "status",
"init", "pod"}`` exploded from the pod's watch events.

Usage columns as k9s ``internal/render/container.go`` (``gatherContainerMX``),
in the order of its current header: CPU (millicores) and MEM (MiB) from the
container's entry in the pod's PodMetrics, CPU/RL and MEM/RL its
requests:limits (wide, as in the pod view), %CPU/R, %CPU/L, %MEM/R, %MEM/L the
usage in percent of them (``n/a`` without a request or limit). A container
without requests counts its limits as requests. ``n/a`` without the metrics
API; ``0`` before metrics-server has a reading of the container."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from k9py.quantity import parse_quantity
from k9py.render import base
from k9py.render.pod import mx_cpu, mx_mem, mx_percent


def explode(pod: base.Obj) -> Iterator[tuple[str, base.Obj]]:
    """``(container name, row object)`` for each init and regular container."""
    spec, st = pod.get("spec") or {}, pod.get("status") or {}
    for init, specs, statuses in ((True, spec.get("initContainers"),
                                   st.get("initContainerStatuses")),
                                  (False, spec.get("containers"), st.get("containerStatuses"))):
        by_name = {s.get("name"): s for s in statuses or []}
        for c in specs or []:
            yield c.get("name", ""), {"container": c, "status": by_name.get(c.get("name")) or {},
                                      "init": init, "pod": pod}


def state_of(status: base.Obj) -> tuple[str, float]:
    """The container's state word and when it entered that state."""
    state = status.get("state") or {}
    if "running" in state:
        return "Running", base.parse_time(state["running"].get("startedAt"))
    if "terminated" in state:
        t = state["terminated"]
        return t.get("reason") or "Terminated", base.parse_time(t.get("finishedAt"))
    if "waiting" in state:
        return state["waiting"].get("reason") or "Waiting", float("nan")
    return "Pending", float("nan")


def _probes(c: base.Obj) -> str:
    return ":".join("on" if c.get(p) else "off" for p in ("livenessProbe", "readinessProbe"))


def _q(value: Any, scale: float) -> int:
    """``Quantity.MilliValue()`` (scale 1000) or ``Value()`` (1): rounded up; 0 if bad."""
    try:
        return math.ceil(round(parse_quantity(value) * scale, 6))
    except (ValueError, TypeError):
        return 0


def requests_limits(container: base.Obj) -> tuple[int, int, int, int]:
    """(request millicores, request bytes, limit millicores, limit bytes) of one
    container; without requests its limits count as requests (k9s
    ``containerRequests``), so a limited-only container shows both percentages."""
    res = container.get("resources") or {}
    limits = res.get("limits") or {}
    requests = res.get("requests") or limits
    return (_q(requests.get("cpu", 0), 1000), _q(requests.get("memory", 0), 1),
            _q(limits.get("cpu", 0), 1000), _q(limits.get("memory", 0), 1))


def usage_cells(usage: tuple[int, int] | None, container: base.Obj) -> tuple[str, ...]:
    """CPU, CPU/RL, %CPU/R, %CPU/L, MEM, MEM/RL, %MEM/R, %MEM/L (k9s's order)."""
    rc, rm, lc, lm = requests_limits(container)
    cpu, mem = usage if usage is not None else (None, None)
    return (mx_cpu(cpu), f"{mx_cpu(rc)}:{mx_cpu(lc)}", mx_percent(cpu, rc), mx_percent(cpu, lc),
            mx_mem(mem), f"{mx_mem(rm)}:{mx_mem(lm)}", mx_percent(mem, rm), mx_percent(mem, lm))


class ContainerRenderer(base.Renderer):
    kind = "Container"
    columns = (base.Column("NAME"), base.Column("IMAGE"), base.Column("READY"),
               base.Column("STATE"),
               base.Column("INIT"), base.Column("RESTARTS", num=True, right=True),
               base.Column("PROBES(L:R)"),
               base.Column("CPU", num=True, right=True),
               base.Column("CPU/RL", wide=True, right=True),
               base.Column("%CPU/R", num=True, right=True),
               base.Column("%CPU/L", num=True, right=True),
               base.Column("MEM", num=True, right=True),
               base.Column("MEM/RL", wide=True, right=True),
               base.Column("%MEM/R", num=True, right=True),
               base.Column("%MEM/L", num=True, right=True),
               base.Column("PORTS"), base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        c, st = obj["container"], obj["status"]
        state, since = state_of(st)
        ports = ",".join(f"{p.get('name', '')}:{p.get('containerPort')}" if p.get("name")
                         else str(p.get("containerPort")) for p in c.get("ports") or [])
        pod = base.meta(obj["pod"])
        usage = ctx.container_metrics(pod.get("namespace", ""), pod.get("name", ""),
                                      c.get("name", ""))
        return (c.get("name", ""), c.get("image", ""), str(bool(st.get("ready"))).lower(), state,
                str(obj["init"]).lower(), str(st.get("restartCount", 0)), _probes(c),
                *usage_cells(usage, c), ports, since)

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        state = cells[3]
        if state == "Completed":
            return base.COMPLETED
        if state == "Running":
            return base.OK if cells[2] == "true" else base.PENDING
        if state in ("Pending", "ContainerCreating", "PodInitializing", "Waiting"):
            return base.PENDING
        return base.ERROR
