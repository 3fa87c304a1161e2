"""The aiohttp application: routes, authentication and error middleware.

Runs on the engine's loop (``cluster.loop``) so handlers call the API
server's synchronous verbs directly, as kube-apiserver's handlers call its
registry. Every failure leaves as a ``metav1.Status`` with upstream's code
(k8s.io/apiserver ``pkg/endpoints/handlers/responsewriters/errors.go``); an
unexpected exception is a 500 InternalError and the server keeps serving.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

from engine.api import errors
from engine.rest import auth, discovery, media, openapi, router, version
from engine.rest import openapi_v2 as openapi_v2_module
from engine.rest.bodies import MAX_BODY_BYTES
from engine.rest.context import SERVER_KEY, STREAMING, USER
from engine.rest.respond import json_body, status_error

if TYPE_CHECKING:
    from engine.rest.server import RestServer

log = logging.getLogger(__name__)


@web.middleware
async def error_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as err:  # noqa: BLE001 - any bug becomes a 500, the server lives on
        if request.get(STREAMING):  # mid-stream: all we can do is end the stream
            log.warning("stream %s ended by %r", request.path, err)
            raise
        if isinstance(err, errors.StatusError):
            return status_error(err)
        log.exception("request %s %s failed", request.method, request.path)
        return status_error(errors.internal_error(err))


def _public(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in auth.PUBLIC_PATHS)


@web.middleware
async def auth_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    if _public(request.path):
        request[USER] = auth.ANONYMOUS
        return await handler(request)
    server: RestServer = request.app[SERVER_KEY]
    user = server.tokens.user_for(request.headers.get("Authorization"))
    if user is None:
        raise auth.unauthorized()
    request[USER] = user
    return await handler(request)


async def api_root(request: web.Request) -> web.Response:
    """``/api`` and ``/apis``: aggregated or legacy, as the Accept header asks."""
    accept = media.parse_accept(request.headers.get("Accept"))
    legacy = request.path.rstrip("/") == "/api"
    wanted = discovery.aggregated_version(accept)
    if wanted is not None:
        return json_body(discovery.aggregated(legacy, wanted),
                         content_type=discovery.aggregated_content_type(wanted))
    if legacy:
        return json_body(discovery.api_versions(request.host))
    return json_body(discovery.api_group_list())


async def openapi_index(request: web.Request) -> web.Response:
    return web.Response(body=openapi.index(), content_type="application/json")


async def openapi_document(request: web.Request) -> web.Response:
    where = openapi.parse_doc_path(request.match_info["tail"])
    body = openapi.document(*where) if where else None
    if body is None:
        raise errors.StatusError(404, "NotFound", "the server could not find the requested "
                                                  "resource")
    return web.Response(body=body, content_type="application/json")


async def openapi_v2(request: web.Request) -> web.Response:
    """Swagger 2.0 for kubectl 1.27/1.28: protobuf when asked so, else JSON."""
    if openapi_v2_module.PROTOBUF_TYPE in request.headers.get("Accept", ""):
        return web.Response(body=openapi_v2_module.as_protobuf(),
                            content_type=openapi_v2_module.PROTOBUF_REPLY_TYPE)
    return web.Response(body=openapi_v2_module.as_json(), content_type="application/json")


async def not_found(request: web.Request) -> web.Response:
    return web.Response(status=404, text="404 page not found\n")


def make_app(server: RestServer) -> web.Application:
    app = web.Application(middlewares=[error_middleware, auth_middleware],
                          client_max_size=MAX_BODY_BYTES + 1)
    app[SERVER_KEY] = server
    app.router.add_get("/version", version.version)
    for name in ("healthz", "livez", "readyz"):
        app.router.add_get(f"/{name}", version.health)
        app.router.add_get(f"/{name}/{{check:.*}}", version.health)
    app.router.add_get("/api", api_root)
    app.router.add_get("/apis", api_root)
    app.router.add_get("/openapi/v3", openapi_index)
    app.router.add_get("/openapi/v3/{tail:.*}", openapi_document)
    app.router.add_get("/openapi/v2", openapi_v2)
    app.router.add_route("*", "/api/{tail:.+}", router.dispatch)
    app.router.add_route("*", "/apis/{tail:.+}", router.dispatch)
    return app
