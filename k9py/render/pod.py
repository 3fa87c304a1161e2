"""Pods: kubectl's STATUS logic (``printPod``) with k9s's columns and colours.

Usage columns as k9s ``internal/render/pod.go`` (``gatherCoMX``): CPU in
millicores and MEM in MiB from the pod's metrics.k8s.io reading, CPU/RL and
MEM/RL (wide) the summed requests:limits of the containers and sidecars, and
%CPU/R, %CPU/L, %MEM/R, %MEM/L the usage in percent of them (``n/a`` when
there is no request or limit). Without the metrics API every usage cell is
``n/a``.
"""

from __future__ import annotations

import math
from typing import Any

from k9py.quantity import parse_quantity
from k9py.render.base import (
    COMPLETED,
    ERROR,
    KILL,
    NA,
    NONE,
    OK,
    PENDING,
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    deleting,
    join,
    labels_text,
    meta,
    name_of,
    namespace_of,
    with_namespace,
)

_OK_STATES = frozenset({"Running", "Completed", "Succeeded"})
_PENDING_STATES = frozenset({"Pending", "ContainerCreating", "PodInitializing",
                             "Terminating"})


def _sidecars(spec: Obj) -> set[str]:
    return {c.get("name", "") for c in spec.get("initContainers") or []
            if c.get("restartPolicy") == "Always"}


def ready_counts(pod: Obj) -> tuple[int, int]:
    """Ready containers over containers, counting sidecar init containers as k9s does."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    sidecars = _sidecars(spec)
    total = len(spec.get("containers") or []) + len(sidecars)
    ready = sum(1 for s in status.get("containerStatuses") or [] if s.get("ready"))
    ready += sum(1 for s in status.get("initContainerStatuses") or []
                 if s.get("name") in sidecars and s.get("ready"))
    return ready, total


def restarts(pod: Obj) -> int:
    status = pod.get("status") or {}
    statuses = [*(status.get("containerStatuses") or []),
                *(status.get("initContainerStatuses") or [])]
    return sum(s.get("restartCount", 0) or 0 for s in statuses)


def _terminated_reason(term: Obj, prefix: str = "") -> str:
    if term.get("reason"):
        return prefix + term["reason"]
    if term.get("signal"):
        return f"{prefix}Signal:{term['signal']}"
    return f"{prefix}ExitCode:{term.get('exitCode', 0)}"


def _init_status(pod: Obj) -> str | None:
    """``Init:x/n`` or the failing init container's reason, or None once initialised."""
    spec = pod.get("spec") or {}
    statuses = (pod.get("status") or {}).get("initContainerStatuses") or []
    sidecars = _sidecars(spec)
    total = len(spec.get("initContainers") or [])
    for i, st in enumerate(statuses):
        state = st.get("state") or {}
        term = state.get("terminated")
        if term and term.get("exitCode") == 0:
            continue
        if st.get("name") in sidecars and "running" in state and st.get("started"):
            continue
        if term:
            return _terminated_reason(term, "Init:")
        waiting = state.get("waiting") or {}
        if waiting.get("reason") and waiting["reason"] != "PodInitializing":
            return "Init:" + waiting["reason"]
        return f"Init:{i}/{total}"
    return None


def phase_reason(pod: Obj) -> str:
    """The STATUS column of ``kubectl get pods``."""
    status = pod.get("status") or {}
    reason = status.get("reason") or status.get("phase") or "Pending"
    init = _init_status(pod)
    if init is not None:
        reason = init
    else:
        has_running = False
        for st in reversed(status.get("containerStatuses") or []):
            state = st.get("state") or {}
            waiting, term = state.get("waiting"), state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif term:
                reason = _terminated_reason(term)
            elif "running" in state and st.get("ready"):
                has_running = True
        if reason == "Completed" and has_running:
            reason = "Running"
    if deleting(pod):
        reason = "Unknown" if status.get("reason") == "NodeLost" else "Terminating"
    return reason


def pod_status_colour(reason: str) -> str:
    if reason in ("Completed", "Succeeded"):
        return COMPLETED
    if reason == "Terminating":
        return KILL
    if reason in _OK_STATES:
        return OK
    if reason in _PENDING_STATES or reason.startswith("Init:") and "/" in reason:
        return PENDING
    return ERROR


class PodRenderer(Renderer):
    kind = "Pod"
    columns = with_namespace(
        Column("NAME"), Column("READY"), Column("STATUS"), Column("RESTARTS", num=True, right=True),
        Column("CPU", num=True, right=True), Column("CPU/RL", wide=True, right=True),
        Column("%CPU/R", num=True, right=True), Column("%CPU/L", num=True, right=True),
        Column("MEM", num=True, right=True), Column("MEM/RL", wide=True, right=True),
        Column("%MEM/R", num=True, right=True), Column("%MEM/L", num=True, right=True),
        Column("IP"), Column("NODE"), Column("NOMINATED NODE", wide=True),
        Column("QOS", wide=True), Column("LABELS", wide=True, max_width=60),
        Column("AGE", time=True),
    )

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        ready, total = ready_counts(obj)
        status = obj.get("status") or {}
        spec = obj.get("spec") or {}
        usage = ctx.pod_metrics(namespace_of(obj), name_of(obj))
        rc, rm, lc, lm = requests_limits(obj)
        cpu, mem = usage if usage is not None else (None, None)
        return (
            namespace_of(obj), name_of(obj), f"{ready}/{total}", phase_reason(obj),
            str(restarts(obj)),
            mx_cpu(cpu), f"{mx_cpu(rc)}:{mx_cpu(lc)}", mx_percent(cpu, rc), mx_percent(cpu, lc),
            mx_mem(mem), f"{mx_mem(rm)}:{mx_mem(lm)}", mx_percent(mem, rm), mx_percent(mem, lm),
            status.get("podIP") or NONE, spec.get("nodeName") or NONE,
            status.get("nominatedNodeName") or NONE, status.get("qosClass") or "",
            labels_text(obj), created(obj),
        )

    def keep(self, obj: Obj) -> Obj:
        return slim_pod(obj)

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        colour = pod_status_colour(cells[3])
        if colour == OK:
            ready, _, total = cells[2].partition("/")
            if cells[3] == "Running" and ready != total:
                return PENDING
        return colour


_KEEP_SPEC = ("nodeName", "nodeSelector", "priority", "priorityClassName", "schedulerName")
_KEEP_CONTAINER = ("name", "image", "ports", "restartPolicy")


def mx_cpu(millicores: int | None) -> str:
    """k9s ``toMc``: millicores without a unit (``0`` for none); ``n/a`` unknown."""
    return NA if millicores is None else str(millicores)


def mx_mem(amount: int | None) -> str:
    """k9s ``toMi``: whole MiB without a unit; ``n/a`` unknown."""
    return NA if amount is None else str(amount // (1024 * 1024))


def mx_percent(value: int | None, total: int) -> str:
    """k9s ``client.ToPercentageStr``: floor(value / total x 100), ``n/a`` without
    a total (or without a reading)."""
    if value is None or not total:
        return NA
    return str(math.floor(value / total * 100))


# The slim pod keeps its summed requests and limits here (interned: pods of one
# template share one tuple), so a re-render for new metrics needs no spec.
RL_KEY = "k9py.dev/requests-limits"
_RL_INTERN: dict[tuple[int, int, int, int], tuple[int, int, int, int]] = {}


def _q(value: Any, scale: float) -> int:
    try:  # Quantity.MilliValue()/Value() round up
        return math.ceil(round(parse_quantity(value) * scale, 6))
    except (ValueError, TypeError):
        return 0


def requests_limits(pod: Obj) -> tuple[int, int, int, int]:
    """(request millicores, request bytes, limit millicores, limit bytes) over the
    containers and sidecar init containers, a container without requests counting
    its limits (k9s ``cosRequests``/``containerRequests``, ``cosLimits``)."""
    kept = pod.get(RL_KEY)
    if kept is not None:
        return kept
    spec = pod.get("spec") or {}
    sidecars = _sidecars(spec)
    rc = rm = lc = lm = 0
    for c in [*(i for i in spec.get("initContainers") or [] if i.get("name") in sidecars),
              *(spec.get("containers") or [])]:
        res = c.get("resources") or {}
        limits = res.get("limits") or {}
        requests = res.get("requests") or limits
        rc += _q(requests.get("cpu", 0), 1000)
        rm += _q(requests.get("memory", 0), 1)
        lc += _q(limits.get("cpu", 0), 1000)
        lm += _q(limits.get("memory", 0), 1)
    found = (rc, rm, lc, lm)
    return _RL_INTERN.setdefault(found, found) if len(_RL_INTERN) < 4096 else found


def slim_pod(pod: Obj) -> Obj:
    """The part of a pod the pod view uses (metadata without managedFields, the
    containers' names, images and ports, placement, status). With 100,000 pods the
    volumes, tolerations, probes and env of every pod would otherwise stay in
    memory; views that show a whole pod (describe, YAML, edit) read it afresh."""
    spec = pod.get("spec") or {}
    m = dict(pod.get("metadata") or {})
    m.pop("managedFields", None)
    slim_spec: dict[str, Any] = {k: spec[k] for k in _KEEP_SPEC if k in spec}
    for key in ("initContainers", "containers"):
        if key in spec:
            slim_spec[key] = [{k: c[k] for k in _KEEP_CONTAINER if k in c} for c in spec[key]]
    out = {"apiVersion": pod.get("apiVersion", "v1"), "kind": pod.get("kind", "Pod"),
           "metadata": m, "spec": slim_spec, RL_KEY: requests_limits(pod)}
    if "status" in pod:
        out["status"] = pod["status"]
    return out


def container_images(pod: Obj) -> str:
    return join(c.get("image") for c in (pod.get("spec") or {}).get("containers") or [])


def owner(obj: Obj) -> Obj | None:
    """The controller owner reference, if any."""
    for ref in meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None
