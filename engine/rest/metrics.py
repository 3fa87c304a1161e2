"""``metrics.k8s.io/v1beta1``: node and pod usage for ``kubectl top``.

Upstream serves this from metrics-server (kubernetes-sigs/metrics-server
``pkg/api``: NodeMetrics and PodMetrics, lists filtered by label selector,
pods without running containers left out, 404 ``podmetrics.metrics.k8s.io
"<ns>/<name>" not found``) behind kube-aggregator. Here the API server
delegates the group to :mod:`engine.api.aggregated` (readings from the
simulated kubelets), so this handler only maps the request onto ``get`` /
``list``; the router has already refused other verbs with 405.
"""

from __future__ import annotations

from aiohttp import web

from engine.rest.context import Ctx
from engine.rest.respond import json_body


async def handle(ctx: Ctx) -> web.Response:
    if ctx.ri.name:
        return json_body(ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace))
    return json_body(ctx.api.list(ctx.info, ctx.namespace,
                                  label_selector=ctx.query.get("labelSelector") or None,
                                  field_selector=ctx.query.get("fieldSelector") or None))
