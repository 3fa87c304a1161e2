"""From a resource request to a handler: lookup, verb, authorization.

Upstream: k8s.io/apiserver ``pkg/endpoints/request/requestinfo.go`` (the
verb: get/list/watch/create/update/patch/delete/deletecollection),
``pkg/endpoints/filters/authorization.go`` (403 before any handler runs)
and ``installer.go`` (unknown resources 404 with ``the server could not find
the requested resource``; verbs a resource lacks are 405).
"""

from __future__ import annotations

from aiohttp import web

from engine.api import errors
from engine.api.resources import RESOURCES, ResourceInfo
from engine.rest import (
    auth,
    discovery,
    handlers,
    hpa_v1,
    media,
    metrics,
    paths,
    reviews,
    subresources,
    watch,
)
from engine.rest.context import SERVER_KEY, USER, Ctx
from engine.rest.extras import EXTRA_BY_PLURAL, converted
from engine.rest.respond import json_body

_BY_GROUP_PLURAL = {(r.group, r.plural): r for r in RESOURCES}
_CONVERTED = {(r.group, r.version, r.plural): r for r in converted()}
_VERBS = {"get": handlers.get, "list": handlers.list_, "create": handlers.create,
          "update": handlers.update, "patch": handlers.patch_, "delete": handlers.delete,
          "deletecollection": handlers.delete_collection}


def lookup(ri: paths.RequestInfo) -> ResourceInfo:
    info = EXTRA_BY_PLURAL.get((ri.group, ri.resource)) or _BY_GROUP_PLURAL.get(
        (ri.group, ri.resource))
    if info is not None and info.version != ri.version:
        info = _CONVERTED.get((ri.group, ri.version, ri.resource))
    if info is None:
        raise paths.not_found_path()
    if ri.namespace and not info.namespaced:
        raise paths.not_found_path()
    if info.namespaced and ri.name and not ri.namespace:
        raise paths.not_found_path()
    return info


def verb_for(method: str, ri: paths.RequestInfo, watching: bool) -> str:
    if method in ("GET", "HEAD"):
        if ri.legacy_watch or (watching and not ri.name):
            return "watch"
        return "get" if ri.name else "list"
    if method == "POST":
        return "create"
    if method == "PUT":
        return "update"
    if method == "PATCH":
        return "patch"
    if method == "DELETE":
        return "delete" if ri.name else "deletecollection"
    raise method_not_allowed()


def method_not_allowed() -> errors.StatusError:
    return errors.StatusError(405, "MethodNotAllowed",
                              "the server does not allow this method on the requested resource")


def _discovery(parts: list[str]) -> web.Response | None:
    """``/api/v1``, ``/apis/<g>`` and ``/apis/<g>/<v>`` (legacy discovery)."""
    if parts[0] == "api" and len(parts) == 2:
        found = discovery.resource_list("", parts[1])
    elif parts[0] == "apis" and len(parts) == 2:
        found = discovery.api_group(parts[1])
    elif parts[0] == "apis" and len(parts) == 3:
        found = discovery.resource_list(parts[1], parts[2])
    else:
        return None
    if found is None:
        raise paths.not_found_path()
    return json_body(found)


async def dispatch(request: web.Request) -> web.StreamResponse:
    parts = [p for p in request.path.split("/") if p]
    if request.method == "GET":
        found = _discovery(parts)
        if found is not None:
            return found
    ri = paths.parse(request.path)
    info = lookup(ri)
    watching = request.query.get("watch", "").lower() in ("true", "1")
    verb = verb_for(request.method, ri, watching)
    user = request[USER]
    if not auth.decide(request.app[SERVER_KEY].api, user, verb, info.group, info.plural,
                       ri.namespace, ri.name, ri.subresource):
        raise auth.forbidden(user, verb, info.group, info.plural, ri.namespace, ri.name,
                             ri.subresource)
    accept = media.parse_accept(request.headers.get("Accept"))
    if not media.acceptable(accept):
        raise errors.StatusError(406, "NotAcceptable",
                                 "only the following media types are accepted: "
                                 "application/json, application/yaml, "
                                 "application/vnd.kubernetes.protobuf")
    ctx = Ctx(request, request.app[SERVER_KEY], info, ri, user, verb, accept)
    return await route(ctx)


def _misplaced(verb: str, name: str) -> bool:
    """PUT and PATCH address one object, POST a collection (installer.go routes)."""
    return (verb in ("update", "patch") and not name) or (verb == "create" and bool(name))


async def route(ctx: Ctx) -> web.StreamResponse:
    info, verb = ctx.info, ctx.verb
    if info is hpa_v1.INFO:
        return await hpa_v1.handle(ctx)
    if (info.group, info.plural) in EXTRA_BY_PLURAL:
        if verb not in info.verbs:
            raise method_not_allowed()
        if info.group == "metrics.k8s.io":
            return await metrics.handle(ctx)
        return await reviews.handle(ctx)
    if ctx.ri.subresource:
        return await subresources.handle(ctx)
    if verb not in info.verbs or _misplaced(verb, ctx.ri.name):
        raise method_not_allowed()
    if info.plural == "bindings" and not info.group:  # POST .../bindings: the body names the pod
        return await subresources.bind(ctx, "")
    if verb == "watch":
        return await watch.serve(ctx)
    return await _VERBS[verb](ctx)
