"""The ``scale`` subresource: an autoscaling/v1 Scale over the parent's
``spec.replicas``.

Upstream: ``pkg/registry/apps/deployment/storage/storage.go`` (ScaleREST:
Get builds the Scale from the object, Update writes only spec.replicas
through the registry with the Scale's resourceVersion as precondition) and
``scaleFromDeployment``: ``status.selector`` is the label selector's string
form. Patches are applied to the Scale object, then written as an update.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from engine.api import errors, meta, patch
from engine.printers.common import format_labels, selector_string
from engine.rest import handlers
from engine.rest.context import Ctx
from engine.rest.respond import json_body

Obj = dict[str, Any]
SCALE_DEFINITION = "io.k8s.api.autoscaling.v1.Scale"


def scale_of(obj: Obj, plural: str) -> Obj:
    m = obj.get("metadata", {})
    selector = obj.get("spec", {}).get("selector")
    if plural == "replicationcontrollers":
        text = "" if not selector else format_labels(selector)
    else:
        text = "" if not selector else selector_string(selector)
    return {
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {k: m[k] for k in ("name", "namespace", "uid", "resourceVersion",
                                       "creationTimestamp") if k in m},
        "spec": {"replicas": obj.get("spec", {}).get("replicas", 0)},
        "status": {"replicas": obj.get("status", {}).get("replicas", 0), "selector": text},
    }


async def handle(ctx: Ctx) -> web.Response:
    method = ctx.request.method
    current = ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace)
    if method == "GET":
        return json_body(scale_of(current, ctx.info.plural))
    if method == "PUT":
        wanted = await handlers.read_object_any(ctx)
    elif method == "PATCH":
        body, kind = await handlers.read_patch(ctx)
        if kind == patch.APPLY_PATCH:
            raise errors.unsupported_media_type(kind)
        wanted = patch.apply_patch(kind, scale_of(current, ctx.info.plural), body,
                                   SCALE_DEFINITION)
    else:
        raise errors.method_not_supported(ctx.info.plural, ctx.info.group, method.lower())
    return json_body(write(ctx, current, wanted))


def _replicas(ctx: Ctx, wanted: Obj) -> int:
    replicas = (wanted.get("spec") or {}).get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        raise errors.invalid_object("Scale", "autoscaling", ctx.ri.name, [errors.invalid(
            "spec.replicas", replicas, "must be greater than or equal to 0")])
    return replicas


def write(ctx: Ctx, current: Obj, wanted: Obj) -> Obj:
    """Set the parent's ``spec.replicas``; a stale Scale resourceVersion is 409."""
    replicas = _replicas(ctx, wanted)
    sent_rv = (wanted.get("metadata") or {}).get("resourceVersion")
    if sent_rv and sent_rv != current["metadata"]["resourceVersion"]:
        raise errors.conflict(ctx.info.plural, ctx.info.group, ctx.ri.name)
    updated = meta.deep_copy(current)
    updated.setdefault("spec", {})["replicas"] = replicas
    result = ctx.api.update(ctx.info, updated, namespace=ctx.namespace,
                            dry_run=ctx.dry_run("UpdateOptions"),
                            field_manager=ctx.field_manager(), user=ctx.user)
    return scale_of(result, ctx.info.plural)
