"""``metrics.k8s.io/v1beta1``: node and pod usage for ``kubectl top``.

Upstream serves this from metrics-server (kubernetes-sigs/metrics-server
``pkg/api``: NodeMetrics and PodMetrics, lists filtered by label selector,
pods without running containers left out, 404 ``podmetrics.metrics.k8s.io
"<ns>/<name>" not found``) behind kube-aggregator. Here the API server
delegates the group to :mod:`engine.api.aggregated` (readings from the
simulated kubelets), so this handler only maps the request onto ``get`` /
``list``; the router has already refused other verbs with 405. A Table
(``kubectl get podmetrics``) has metrics-server's columns (``pod.go``
``addPodMetricsToTable``, ``node.go``): Name, cpu, memory, Window.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from engine.rest import media, tables
from engine.rest.context import Ctx
from engine.rest.respond import json_body

Obj = dict[str, Any]

COLUMNS = [
    {"name": "Name", "type": "string", "format": "name", "description": "Name of the resource",
     "priority": 0},
    {"name": "cpu", "type": "string", "format": "quantity", "description": "", "priority": 0},
    {"name": "memory", "type": "string", "format": "quantity", "description": "",
     "priority": 0},
    {"name": "Window", "type": "string", "format": "duration", "description": "",
     "priority": 0},
]
_DECIMAL = (("", 10**9), ("m", 10**6), ("u", 10**3), ("n", 1))  # in nanounits
_BINARY = (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20),
           ("Ki", 2**10), ("", 1))


def _sum(values: list[str], suffix: str, scale: int) -> int:
    return sum(int(v[:-len(suffix)]) * scale for v in values if v.endswith(suffix))


def canonical_cpu(nanocores: int) -> str:
    """``Quantity.String()`` of a DecimalSI amount: the largest suffix that keeps
    the number whole (``5000000n`` is ``5m``)."""
    for suffix, unit in _DECIMAL:
        if nanocores % unit == 0:
            return f"{nanocores // unit}{suffix}"
    return f"{nanocores}n"


def canonical_memory(amount: int) -> str:
    """``Quantity.String()`` of a BinarySI amount (``1024Ki`` is ``1Mi``)."""
    for suffix, unit in _BINARY:
        if amount and amount % unit == 0:
            return f"{amount // unit}{suffix}"
    return str(amount)


def _row(obj: Obj) -> list[Any]:
    usages = [c["usage"] for c in obj.get("containers") or ()] or [obj.get("usage") or {}]
    cpu = _sum([u.get("cpu", "0n") for u in usages], "n", 1)
    mem = _sum([u.get("memory", "0Ki") for u in usages], "Ki", 1024)
    return [obj["metadata"]["name"], canonical_cpu(cpu), canonical_memory(mem), obj["window"]]


def _table(items: list[Obj], include: str, version: str) -> Obj:
    rows = []
    for obj in items:
        row: Obj = {"cells": _row(obj)}
        shown = tables.row_object(obj, include, version)
        if shown is not None:
            row["object"] = shown
        rows.append(row)
    return {"kind": "Table", "apiVersion": f"meta.k8s.io/{version}", "metadata": {},
            "columnDefinitions": COLUMNS, "rows": rows}


async def handle(ctx: Ctx) -> web.Response:
    if ctx.ri.name:
        found = ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace)
        items = [found]
    else:
        found = ctx.api.list(ctx.info, ctx.namespace,
                             label_selector=ctx.query.get("labelSelector") or None,
                             field_selector=ctx.query.get("fieldSelector") or None)
        items = found["items"]
    version = media.table_version(ctx.accept)
    if version is not None:
        return json_body(_table(items, tables.include_object(ctx.query), version))
    return json_body(found)
