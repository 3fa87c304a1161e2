"""Subresources: status, scale, log, eviction, binding, token.

Upstream: ``pkg/registry/apps/deployment/storage`` (ScaleREST: an
autoscaling/v1 Scale over ``spec.replicas``), ``pkg/registry/core/pod/storage``
(``eviction.go``: PDB-aware eviction, 429 when the budget allows no
disruption; BindingREST: sets ``spec.nodeName``), ``pkg/registry/core/pod/rest/log.go``
and ``pkg/registry/core/serviceaccount/storage/token.go``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from engine.api import errors, meta, patch
from engine.rest import handlers, logstream, paths, scale
from engine.rest.context import Ctx
from engine.rest.eviction import evict
from engine.rest.respond import json_body, success

Obj = dict[str, Any]


async def handle(ctx: Ctx) -> web.StreamResponse:
    sub, method = ctx.ri.subresource, ctx.request.method
    if sub not in ctx.info.subresources:
        raise paths.not_found_path()
    if sub == "scale":
        return await scale.handle(ctx)
    if sub == "log" and method == "GET":
        return await logstream.serve(ctx)
    if sub == "eviction" and method == "POST":
        return await _evict(ctx)
    if sub == "binding" and method == "POST":
        return await bind(ctx, ctx.ri.name)
    if sub == "token" and method == "POST":
        return await token(ctx)
    if sub in ("exec", "attach", "portforward", "proxy"):
        raise errors.bad_request("Upgrade request required")
    return await _plain(ctx)


async def _plain(ctx: Ctx) -> web.StreamResponse:
    """status and other subresources that read and write the object itself."""
    method = ctx.request.method
    if method == "GET":  # `kubectl get --subresource=status` asks for a Table
        return handlers.negotiated(ctx, ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace),
                                   listing=False)
    if method == "PUT":
        return await handlers.update(ctx)
    if method == "PATCH":
        return await handlers.patch_(ctx)
    raise errors.method_not_supported(ctx.info.plural, ctx.info.group, method.lower())


async def _evict(ctx: Ctx) -> web.Response:
    body = await handlers.read_object_any(ctx)
    name = (body.get("metadata") or {}).get("name") or ctx.ri.name
    if name != ctx.ri.name:
        raise errors.bad_request("name in URL does not match name in Eviction object")
    evict(ctx.api, ctx.namespace or "default", name, body.get("deleteOptions") or {},
          user=ctx.user, dry_run=ctx.dry_run("CreateOptions"))
    return json_body(success(code=201), status=201)


async def bind(ctx: Ctx, name: str) -> web.Response:
    """``BindingREST.Create``: assign an unscheduled pod to a node.

    Upstream writes ``spec.nodeName`` past the pod strategy's update checks
    (which forbid changing it). The engine's API server has no such verb
    yet, so this uses ``APIServer.bind`` when it exists, else the
    scheduler's interim one, and last an update of the ``binding``
    subresource (which pod validation refuses).
    """
    body = await handlers.read_object_any(ctx)
    target = body.get("target") or {}
    name = (body.get("metadata") or {}).get("name") or name
    node = target.get("name", "")
    if not node:
        raise errors.invalid_object("Binding", "", name, [errors.required("target.name")])
    pod = ctx.api.get("pods", name, ctx.namespace)
    if pod.get("spec", {}).get("nodeName"):
        raise errors.conflict("pods", "", name, f'pod {name} is already assigned to node '
                                                f'"{pod["spec"]["nodeName"]}"')
    dry_run = ctx.dry_run("CreateOptions")
    binder = _binder(ctx.api)
    if binder is not None:
        binder(name, node, namespace=ctx.namespace or "default", user=ctx.user, dry_run=dry_run)
        return json_body(success(code=201), status=201)
    pod = meta.deep_copy(pod)
    pod["spec"]["nodeName"] = node
    ctx.api.update("pods", pod, namespace=ctx.namespace, subresource="binding", user=ctx.user,
                   field_manager=ctx.field_manager(), dry_run=dry_run)
    if not dry_run:
        _mark_scheduled(ctx, name)
    return json_body(success(code=201), status=201)


def _binder(api: Any) -> Any:
    """``APIServer.bind`` when the API server has it, else the scheduler's
    interim binding verb (``engine.scheduler.binding.bind``, same contract)."""
    verb = getattr(api, "bind", None)
    if verb is not None:
        return verb
    try:
        from engine.scheduler.binding import bind as interim
    except ImportError:
        return None
    return lambda name, node, **kw: interim(api, name, node, **kw)


def _mark_scheduled(ctx: Ctx, name: str) -> None:
    condition = {"type": "PodScheduled", "status": "True",
                 "lastTransitionTime": ctx.server.clock.rfc3339()}
    body = {"status": {"conditions": [condition]}}
    ctx.api.patch("pods", name, body, patch.STRATEGIC_MERGE_PATCH, namespace=ctx.namespace,
                  subresource="status", user=ctx.user)


async def token(ctx: Ctx) -> web.Response:
    """A TokenRequest for a service account (the token is opaque here)."""
    body = await handlers.read_object_any(ctx)
    ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace)
    spec = dict(body.get("spec") or {})
    seconds = spec.setdefault("expirationSeconds", 3600)
    expires = ctx.server.clock.rfc3339(ctx.server.clock.now() + seconds)
    value = ctx.server.issue_token(ctx.namespace or "default", ctx.ri.name)
    out = {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
           "metadata": {"name": ctx.ri.name, "namespace": ctx.namespace or "default",
                        "creationTimestamp": None},
           "spec": spec, "status": {"token": value, "expirationTimestamp": expires}}
    return json_body(out, status=201)
