"""``metrics.k8s.io/v1beta1``: node and pod usage for ``kubectl top``.

Upstream serves this from metrics-server (kubernetes-sigs/metrics-server
``pkg/api``: NodeMetrics and PodMetrics, lists filtered by label selector,
pods without running containers left out, 404 ``podmetrics.metrics.k8s.io
"<ns>/<name>" not found``). Here the simulated kubelets report the usage
(``cluster.kubelets.node_metrics`` / ``pod_metrics``).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from engine.api import errors
from engine.rest.context import Ctx
from engine.rest.respond import json_body

Obj = dict[str, Any]
API_VERSION = "metrics.k8s.io/v1beta1"


def _missing(kind: str, name: str) -> errors.StatusError:
    return errors.StatusError(404, "NotFound", f'{kind}.metrics.k8s.io "{name}" not found',
                              {"name": name, "group": "metrics.k8s.io", "kind": kind})


def _node(kubelets: Any, name: str) -> Obj:
    try:
        return kubelets.node_metrics(name)
    except KeyError:
        raise _missing("nodemetrics", name) from None


def _pod(kubelets: Any, namespace: str, name: str) -> Obj | None:
    try:
        metrics = kubelets.pod_metrics(namespace, name)
    except errors.StatusError as err:
        if err.code == 404:
            return None
        raise
    return metrics if metrics.get("containers") else None


def _list(kind: str, items: list[Obj]) -> Obj:
    return {"kind": kind, "apiVersion": API_VERSION, "metadata": {}, "items": items}


async def handle(ctx: Ctx) -> web.Response:
    kubelets = ctx.server.kubelets
    if kubelets is None:
        raise errors.service_unavailable("the server is currently unable to handle the request")
    selector = ctx.query.get("labelSelector") or None
    name = ctx.ri.name
    if ctx.info.plural == "nodes":
        if name:
            return json_body(_node(kubelets, name))
        nodes = ctx.api.list("nodes", label_selector=selector)["items"]
        known = set(kubelets.nodes())
        return json_body(_list("NodeMetricsList", [
            _node(kubelets, n["metadata"]["name"]) for n in nodes
            if n["metadata"]["name"] in known]))
    if name:
        found = _pod(kubelets, ctx.namespace or "default", name)
        if found is None:
            raise _missing("podmetrics", f"{ctx.namespace}/{name}")
        return json_body(found)
    pods = ctx.api.list("pods", ctx.namespace, label_selector=selector,
                        field_selector=ctx.query.get("fieldSelector") or None)["items"]
    found = [_pod(kubelets, p["metadata"]["namespace"], p["metadata"]["name"]) for p in pods]
    return json_body(_list("PodMetricsList", [m for m in found if m is not None]))
