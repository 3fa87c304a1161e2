"""Nodes: STATUS with SchedulingDisabled, ROLES, a TAINTS count and PODS per node.

Cordoned nodes get their own colour, distinct from NotReady (k9s#3751).

Usage columns as k9s ``internal/render/node.go`` (``gatherNodeMX``): CPU
(millicores) and MEM (MiB) from the node's metrics.k8s.io reading, CPU/A and
MEM/A the node's allocatable, %CPU and %MEM the usage in percent of it; in
the order of k9s's current header (PODS, CPU, CPU/A, %CPU, MEM, MEM/A, %MEM).
Without the metrics API the usage cells are ``n/a``."""

from __future__ import annotations

import math
from typing import Any

from k9py.quantity import parse_quantity
from k9py.render.base import (
    CORDONED,
    ERROR,
    NA,
    NONE,
    OK,
    Column,
    Obj,
    RenderContext,
    Renderer,
    condition,
    created,
    labels_of,
    labels_text,
    name_of,
)
from k9py.render.pod import mx_cpu, mx_mem, mx_percent

ROLE_PREFIX = "node-role.kubernetes.io/"


def node_status(node: Obj) -> str:
    """kubectl's ``printNode`` (pkg/printers/internalversion/printers.go): Ready when
    the condition is True, NotReady for False *and* Unknown (a node whose kubelet
    stopped heartbeating), Unknown only when there is no Ready condition at all."""
    ready = condition(node, "Ready")
    if ready is None:
        status = "Unknown"
    else:
        status = "Ready" if ready.get("status") == "True" else "NotReady"
    if (node.get("spec") or {}).get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def roles(node: Obj) -> str:
    labels = labels_of(node)
    found = sorted(k[len(ROLE_PREFIX):] for k in labels if k.startswith(ROLE_PREFIX))
    if "kubernetes.io/role" in labels:
        found.append(labels["kubernetes.io/role"])
    return ",".join(r for r in found if r) or NONE


def address(node: Obj, kind: str) -> str:
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == kind:
            return a.get("address", "")
    return NONE


def allocatable(node: Obj) -> tuple[int, int]:
    """The node's allocatable (millicores, bytes), rounded up as ``MilliValue()``."""
    alloc = (node.get("status") or {}).get("allocatable") or {}
    out = []
    for key, scale in (("cpu", 1000), ("memory", 1)):
        try:
            out.append(math.ceil(round(parse_quantity(alloc.get(key, 0)) * scale, 6)))
        except (ValueError, TypeError):
            out.append(0)
    return out[0], out[1]


class NodeRenderer(Renderer):
    kind = "Node"
    columns = (
        Column("NAME"), Column("STATUS"), Column("ROLES"), Column("TAINTS", num=True, right=True),
        Column("VERSION"), Column("PODS", num=True, right=True),
        Column("CPU", num=True, right=True), Column("CPU/A", num=True, right=True),
        Column("%CPU", num=True, right=True), Column("MEM", num=True, right=True),
        Column("MEM/A", num=True, right=True), Column("%MEM", num=True, right=True),
        Column("INTERNAL-IP", wide=True),
        Column("EXTERNAL-IP", wide=True), Column("OS-IMAGE", wide=True),
        Column("KERNEL", wide=True), Column("ARCH", wide=True),
        Column("LABELS", wide=True, max_width=60), Column("AGE", time=True),
    )

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        info = (obj.get("status") or {}).get("nodeInfo") or {}
        pods = ctx.pods_per_node(name_of(obj))
        usage = ctx.node_metrics(name_of(obj))
        cpu, mem = usage if usage is not None else (None, None)
        a_cpu, a_mem = allocatable(obj)
        return (
            name_of(obj), node_status(obj), roles(obj),
            str(len((obj.get("spec") or {}).get("taints") or [])), info.get("kubeletVersion", ""),
            NA if pods is None else str(pods),
            mx_cpu(cpu), mx_cpu(a_cpu), mx_percent(cpu, a_cpu),
            mx_mem(mem), mx_mem(a_mem), mx_percent(mem, a_mem),
            address(obj, "InternalIP"), address(obj, "ExternalIP"), info.get("osImage", ""),
            info.get("kernelVersion", ""), info.get("architecture", ""), labels_text(obj),
            created(obj),
        )

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        status = cells[1]
        if not status.startswith("Ready"):
            return ERROR
        return CORDONED if "SchedulingDisabled" in status else OK
