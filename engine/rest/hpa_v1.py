"""autoscaling/v1 HorizontalPodAutoscalers, served over the stored v2 objects.

kube-apiserver serves both versions of one stored resource and converts
(upstream ``pkg/apis/autoscaling/v1/conversion.go``): v1 has only
``targetCPUUtilizationPercentage`` where v2 has ``metrics``, and
``currentCPUUtilizationPercentage`` where v2 has ``currentMetrics``. kubectl
1.32's ``autoscale`` posts v1. Requests here are converted to v2, handled by
the API server as v2, and answered as v1; what v1 cannot express (other
metrics, behavior) is kept from the stored object on writes.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from engine.api import errors, meta, patch
from engine.api.resources import ResourceInfo, by_group_plural
from engine.rest import handlers, media, tables, watch
from engine.rest.context import Ctx
from engine.rest.respond import json_body

Obj = dict[str, Any]
V1 = "autoscaling/v1"
V1_DEFINITION = "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler"
INFO = ResourceInfo("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                    True, short_names=("hpa",), categories=("all",), subresources=("status",))


def stored() -> ResourceInfo:
    return by_group_plural("autoscaling", "horizontalpodautoscalers")


def _cpu(metrics: list[Obj] | None, field: str) -> int | None:
    for metric in metrics or []:
        resource = metric.get("resource") or {}
        if metric.get("type") == "Resource" and resource.get("name") == "cpu":
            return (resource.get(field) or {}).get("averageUtilization")
    return None


def to_v1(obj: Obj) -> Obj:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    out_spec = {k: spec[k] for k in ("scaleTargetRef", "minReplicas", "maxReplicas") if k in spec}
    target = _cpu(spec.get("metrics"), "target")
    if target is not None:
        out_spec["targetCPUUtilizationPercentage"] = target
    out_status = {k: status[k] for k in ("observedGeneration", "lastScaleTime") if k in status}
    # Not omitempty in v1's Go struct: always written.
    out_status["currentReplicas"] = status.get("currentReplicas", 0)
    out_status["desiredReplicas"] = status.get("desiredReplicas", 0)
    current = _cpu(status.get("currentMetrics"), "current")
    if current is not None:
        out_status["currentCPUUtilizationPercentage"] = current
    return {"kind": INFO.kind, "apiVersion": V1, "metadata": obj.get("metadata", {}),
            "spec": out_spec, "status": out_status}


def to_v2(obj: Obj, existing: Obj | None = None) -> Obj:
    spec = dict(obj.get("spec") or {})
    pct = spec.pop("targetCPUUtilizationPercentage", None)
    kept = (existing or {}).get("spec") or {}
    others = [m for m in kept.get("metrics") or []
              if not (m.get("type") == "Resource" and (m.get("resource") or {}).get("name") ==
                      "cpu")]
    if pct is not None:
        others.insert(0, {"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": pct}}})
    if others:
        spec["metrics"] = others
    if "behavior" in kept:
        spec["behavior"] = kept["behavior"]
    out = {"kind": INFO.kind, "apiVersion": "autoscaling/v2",
           "metadata": dict(obj.get("metadata") or {}), "spec": spec}
    if existing is not None and "status" in existing:
        out["status"] = existing["status"]
    return out


def _respond(ctx: Ctx, obj: Obj, status: int = 200) -> web.Response:
    return json_body(to_v1(obj), status=status)


async def handle(ctx: Ctx) -> web.StreamResponse:
    """Every verb on autoscaling/v1 HPAs."""
    if ctx.ri.subresource and ctx.request.method != "GET":
        raise errors.method_not_supported(INFO.plural, INFO.group, ctx.request.method.lower())
    info = stored()
    if ctx.verb == "watch":
        return await watch.serve(ctx, storage=info, convert=to_v1)
    if ctx.verb == "get":
        obj = ctx.api.get(info, ctx.ri.name, ctx.namespace)
        if media.table_version(ctx.accept):
            return handlers.negotiated(_as(ctx, info), obj, listing=False)
        return _respond(ctx, obj)
    if ctx.verb == "list":
        return await _list(ctx, info)
    if ctx.verb in ("delete", "deletecollection"):
        return await handlers.delete(_as(ctx, info)) if ctx.verb == "delete" else (
            await handlers.delete_collection(_as(ctx, info)))
    return await _write(ctx, info)


def _as(ctx: Ctx, info: ResourceInfo) -> Ctx:
    return Ctx(ctx.request, ctx.server, info, ctx.ri, ctx.user, ctx.verb, ctx.accept)


async def _list(ctx: Ctx, info: ResourceInfo) -> web.Response:
    listed = ctx.api.list(info, ctx.namespace,
                          label_selector=ctx.query.get("labelSelector") or None,
                          field_selector=ctx.query.get("fieldSelector") or None,
                          limit=max(ctx.int_param("limit") or 0, 0),
                          continue_=ctx.query.get("continue") or None)
    version = media.table_version(ctx.accept)
    if version:
        include = tables.include_object(ctx.query)
        return json_body(tables.list_table(info, listed, ctx.now(), include, version))
    return json_body({"kind": f"{INFO.kind}List", "apiVersion": V1,
                      "metadata": listed["metadata"],
                      "items": [to_v1(o) for o in listed["items"]]})


async def _write(ctx: Ctx, info: ResourceInfo) -> web.Response:
    common = {"namespace": ctx.namespace, "field_manager": ctx.field_manager(),
              "field_validation": "Ignore", "user": ctx.user}
    if ctx.verb == "create":
        body = await handlers.read_object_any(ctx)
        _check_version(body)
        created = ctx.api.create(info, to_v2(body), dry_run=ctx.dry_run("CreateOptions"),
                                 **common)
        return _respond(ctx, _stored(ctx, info, created), 201)
    current = ctx.api.get(info, ctx.ri.name, ctx.namespace)
    if ctx.verb == "update":
        wanted = await handlers.read_object_any(ctx)
        _check_version(wanted)
    else:
        body, kind = await handlers.read_patch(ctx)
        if kind == patch.APPLY_PATCH:
            raise patch.unsupported_patch_type(patch.PATCH_TYPES[:3])
        wanted = patch.apply_patch(kind, to_v1(meta.deep_copy(current)), body, V1_DEFINITION)
    updated = ctx.api.update(info, to_v2(wanted, current), dry_run=ctx.dry_run("UpdateOptions"),
                             **common)
    return _respond(ctx, updated)


def _stored(ctx: Ctx, info: ResourceInfo, obj: Obj) -> Obj:
    if obj.get("metadata", {}).get("resourceVersion"):
        return obj
    return ctx.api.get(info, obj["metadata"]["name"], ctx.namespace)


def _check_version(body: Obj) -> None:
    version = body.get("apiVersion")
    if version not in (None, V1):
        raise errors.bad_request(f"the API version in the data ({version}) does not match the "
                                 f"expected API version ({V1})")
