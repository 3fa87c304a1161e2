"""CRUD handlers for ``/api/v1/...`` and ``/apis/<g>/<v>/...``.

Upstream: k8s.io/apiserver ``pkg/endpoints/handlers`` (``get.go``:
GetResource/ListResource, ``create.go``, ``update.go``, ``patch.go``,
``delete.go``) and ``pkg/endpoints/installer.go`` (which verbs each path
serves). The verbs call the API server directly: this runs on its loop.
"""

from __future__ import annotations

from typing import Any

import orjson
import yaml
from aiohttp import web

from engine.api import errors, patch
from engine.api.strategies import strategy_for
from engine.rest import bodies, media, tables
from engine.rest.context import Ctx
from engine.rest.respond import json_body, success

Obj = dict[str, Any]


def negotiated(ctx: Ctx, obj: Obj, *, listing: bool) -> web.Response:
    """JSON, a Table, or PartialObjectMetadata(List), as the Accept header asks."""
    version = media.table_version(ctx.accept)
    if version is not None:
        include = tables.include_object(ctx.query)
        make = tables.list_table if listing else tables.object_table
        return json_body(make(ctx.info, obj, ctx.now(), include, version))
    partial = media.wants_metadata_only(ctx.accept)
    if partial is not None:
        return json_body(_partial(obj, listing))
    return json_body(obj)


def _partial(obj: Obj, listing: bool) -> Obj:
    def one(o: Obj) -> Obj:
        return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                "metadata": o.get("metadata", {})}

    if not listing:
        return one(obj)
    return {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata", {}), "items": [one(o) for o in obj["items"]]}


async def get(ctx: Ctx) -> web.Response:
    return negotiated(ctx, ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace), listing=False)


async def list_(ctx: Ctx) -> web.Response:
    limit = ctx.int_param("limit") or 0
    listed = ctx.api.list(ctx.info, ctx.namespace,
                          label_selector=ctx.query.get("labelSelector") or None,
                          field_selector=ctx.query.get("fieldSelector") or None,
                          limit=max(limit, 0), continue_=ctx.query.get("continue") or None)
    return negotiated(ctx, listed, listing=True)


async def read_object(ctx: Ctx) -> Obj:
    body = await bodies.decode(ctx.request)
    if not isinstance(body, dict):
        raise errors.bad_request(
            f"the body of the request was in an unknown format - expected a JSON object for "
            f"{ctx.info.kind}")
    return body


async def create(ctx: Ctx) -> web.Response:
    obj = await read_object(ctx)
    warnings: list[str] = []
    created = ctx.api.create(ctx.info, obj, namespace=ctx.namespace,
                             dry_run=ctx.dry_run("CreateOptions"),
                             field_manager=ctx.field_manager(),
                             field_validation=ctx.field_validation(), user=ctx.user,
                             warnings=warnings)
    return json_body(_with_version(ctx, created), status=201, warnings=warnings)


def _with_version(ctx: Ctx, obj: Obj) -> Obj:
    """The stored object when a write's answer lacks its resourceVersion (the
    API server's create loses it once managedFields are recorded); clients
    need it for their next update."""
    m = obj.get("metadata") or {}
    if m.get("resourceVersion") or ctx.query.getall("dryRun", []):
        return obj
    try:
        return ctx.api.get(ctx.info, m.get("name", ""), m.get("namespace") or None)
    except errors.StatusError:
        return obj


async def update(ctx: Ctx) -> web.Response:
    obj = await read_object(ctx)
    sent = (obj.get("metadata") or {}).get("name", "")
    if sent != ctx.ri.name:
        raise errors.bad_request(
            f"the name of the object ({sent}) does not match the name on the URL "
            f"({ctx.ri.name})")
    existed = not strategy_for(ctx.info).allow_create_on_update or _exists(ctx)
    warnings: list[str] = []
    updated = ctx.api.update(ctx.info, obj, namespace=ctx.namespace,
                             subresource=ctx.ri.subresource,
                             dry_run=ctx.dry_run("UpdateOptions"),
                             field_manager=ctx.field_manager(),
                             field_validation=ctx.field_validation(), user=ctx.user,
                             warnings=warnings)
    return json_body(_with_version(ctx, updated), status=200 if existed else 201,
                     warnings=warnings)


def _exists(ctx: Ctx) -> bool:
    try:
        ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace)
    except errors.StatusError as err:
        if err.code == 404:
            return False
        raise
    return True


async def read_patch(ctx: Ctx) -> tuple[Any, str]:
    """The patch body and its type; unknown types are 415."""
    kind = patch.media_type(ctx.request.headers.get("Content-Type", ""))
    if kind not in patch.PATCH_TYPES:
        raise patch.unsupported_patch_type()
    raw = await bodies.read(ctx.request)
    if kind == patch.APPLY_PATCH:
        try:
            return yaml.safe_load(raw.decode("utf-8")), kind
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            raise errors.bad_request(f"error decoding YAML: {err}") from None
    try:
        return orjson.loads(raw), kind
    except orjson.JSONDecodeError:
        raise errors.bad_request(
            "error decoding patch: " + bodies.go_json_error(raw)) from None


async def patch_(ctx: Ctx) -> web.Response:
    body, kind = await read_patch(ctx)
    apply = kind == patch.APPLY_PATCH
    force = ctx.flag("force")
    if "force" in ctx.query and not apply:
        raise errors.invalid_object("PatchOptions", "meta.k8s.io", "", [errors.forbidden(
            "force", "may not be specified for non-apply patch")])
    existed = not apply or _exists(ctx)
    warnings: list[str] = []
    patched = ctx.api.patch(ctx.info, ctx.ri.name, body, kind, namespace=ctx.namespace,
                            subresource=ctx.ri.subresource,
                            dry_run=ctx.dry_run("PatchOptions"),
                            field_manager=ctx.field_manager(required=apply), force=force,
                            field_validation=ctx.field_validation(), user=ctx.user,
                            warnings=warnings)
    return json_body(_with_version(ctx, patched), status=200 if existed else 201,
                     warnings=warnings)


async def delete_options(ctx: Ctx) -> Obj:
    """``DeleteOptions`` from the body (kubectl) and the query (client libraries)."""
    options: Obj = {}
    if ctx.request.can_read_body:
        raw = await bodies.read(ctx.request)
        if raw.strip():
            decoded = bodies.decode_json(raw)
            if isinstance(decoded, dict):
                options = decoded
    grace = ctx.int_param("gracePeriodSeconds")
    if grace is not None:
        options["gracePeriodSeconds"] = grace
    if ctx.query.get("propagationPolicy"):
        options["propagationPolicy"] = ctx.query["propagationPolicy"]
    if "orphanDependents" in ctx.query and "propagationPolicy" not in options:
        options["propagationPolicy"] = "Orphan" if ctx.flag("orphanDependents") else "Background"
    if options.get("orphanDependents") is not None and "propagationPolicy" not in options:
        options["propagationPolicy"] = "Orphan" if options["orphanDependents"] else "Background"
    return options


def _options_dry_run(ctx: Ctx, options: Obj) -> bool:
    values = options.get("dryRun") or []
    for value in values:
        if value != "All":
            raise errors.invalid_object("DeleteOptions", "meta.k8s.io", "", [
                errors.not_supported("dryRun", value, ["All"])])
    return bool(values) or ctx.dry_run("DeleteOptions")


async def delete(ctx: Ctx) -> web.Response:
    options = await delete_options(ctx)
    dry_run = _options_dry_run(ctx, options)
    obj = ctx.api.delete(ctx.info, ctx.ri.name, namespace=ctx.namespace,
                         grace_period_seconds=options.get("gracePeriodSeconds"),
                         propagation_policy=options.get("propagationPolicy"),
                         preconditions=options.get("preconditions"), dry_run=dry_run,
                         user=ctx.user)
    if dry_run or _exists(ctx):  # still there (grace period, finalizers): the object
        return json_body(obj)
    # Gone at once: upstream's Status (the store's ReturnDeletedObject is off).
    meta = obj.get("metadata", {})
    details = {"name": meta.get("name", "")}
    if ctx.info.group:
        details["group"] = ctx.info.group
    details.update(kind=ctx.info.plural, uid=meta.get("uid", ""))
    return json_body(success(details))


async def delete_collection(ctx: Ctx) -> web.Response:
    options = await delete_options(ctx)
    deleted = ctx.api.delete_collection(
        ctx.info, ctx.namespace, label_selector=ctx.query.get("labelSelector") or None,
        field_selector=ctx.query.get("fieldSelector") or None,
        grace_period_seconds=options.get("gracePeriodSeconds"),
        propagation_policy=options.get("propagationPolicy"),
        dry_run=_options_dry_run(ctx, options), user=ctx.user)
    return json_body(deleted)


async def read_object_any(ctx: Ctx) -> Obj:
    """A JSON object body of any kind (Eviction, Binding, TokenRequest, reviews)."""
    body = await bodies.decode(ctx.request)
    if not isinstance(body, dict):
        raise errors.bad_request("the body of the request was in an unknown format - expected "
                                 "a JSON object")
    return body
