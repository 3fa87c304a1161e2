"""Nodes: STATUS with SchedulingDisabled, ROLES, a TAINTS count and PODS per node.

Cordoned nodes get their own colour, distinct from NotReady (k9s#3751)."""

from __future__ import annotations

from typing import Any

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
    mebibytes,
    milli_cpu,
    name_of,
)

ROLE_PREFIX = "node-role.kubernetes.io/"


def node_status(node: Obj) -> str:
    ready = condition(node, "Ready")
    status = {"True": "Ready", "False": "NotReady"}.get((ready or {}).get("status"), "Unknown")
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


class NodeRenderer(Renderer):
    kind = "Node"
    columns = (
        Column("NAME"), Column("STATUS"), Column("ROLES"), Column("TAINTS", num=True, right=True),
        Column("VERSION"), Column("PODS", num=True, right=True), Column("CPU", num=True, right=True),
        Column("MEM", num=True, right=True), Column("INTERNAL-IP", wide=True),
        Column("EXTERNAL-IP", wide=True), Column("OS-IMAGE", wide=True),
        Column("KERNEL", wide=True), Column("ARCH", wide=True),
        Column("LABELS", wide=True, max_width=60), Column("AGE", time=True),
    )

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        info = (obj.get("status") or {}).get("nodeInfo") or {}
        pods = ctx.pods_per_node(name_of(obj))
        usage = ctx.node_metrics(name_of(obj))
        return (
            name_of(obj), node_status(obj), roles(obj),
            str(len((obj.get("spec") or {}).get("taints") or [])), info.get("kubeletVersion", ""),
            NA if pods is None else str(pods),
            milli_cpu(usage[0] if usage else None), mebibytes(usage[1] if usage else None),
            address(obj, "InternalIP"), address(obj, "ExternalIP"), info.get("osImage", ""),
            info.get("kernelVersion", ""), info.get("architecture", ""), labels_text(obj),
            created(obj),
        )

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        status = cells[1]
        if not status.startswith("Ready"):
            return ERROR
        return CORDONED if "SchedulingDisabled" in status else OK
