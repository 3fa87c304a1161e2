"""``GET pods/<name>/log``: container logs as chunked text/plain.

Upstream: ``pkg/registry/core/pod/rest/log.go`` and ``strategy.go``
(``LogLocation``: the container defaults to the pod's only container, else
the request must name one; a pod not yet on a node has no logs and answers
an empty body) and the kubelet's ``/containerLogs`` streaming with
``follow``, ``tailLines``, ``sinceSeconds``, ``sinceTime``, ``timestamps``,
``previous`` and ``limitBytes``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiohttp import web

from engine.api import errors
from engine.rest.context import STREAMING, Ctx
from engine.rest.logs import LogOptions, NoLogs

Obj = dict[str, Any]


def _container(pod: Obj, requested: str | None) -> str:
    spec = pod.get("spec") or {}
    containers = [c.get("name", "") for c in spec.get("containers") or []]
    init = [c.get("name", "") for c in spec.get("initContainers") or []]
    ephemeral = [c.get("name", "") for c in spec.get("ephemeralContainers") or []]
    name = pod.get("metadata", {}).get("name", "")
    if requested:
        if requested not in containers + init + ephemeral:
            raise errors.bad_request(f"container {requested} is not valid for pod {name}")
        return requested
    if len(containers) == 1:
        return containers[0]
    message = (f"a container name must be specified for pod {name}, choose one of: "
               f"[{' '.join(containers)}]")
    if init:
        message += f" or one of the init containers: [{' '.join(init)}]"
    raise errors.bad_request(message)


def options(ctx: Ctx, pod: Obj) -> LogOptions:
    return LogOptions(
        container=_container(pod, ctx.query.get("container")),
        follow=ctx.flag("follow"), previous=ctx.flag("previous"),
        timestamps=ctx.flag("timestamps"), tail_lines=ctx.int_param("tailLines"),
        since_seconds=ctx.int_param("sinceSeconds"),
        since_time=ctx.query.get("sinceTime") or None,
        limit_bytes=ctx.int_param("limitBytes"))


async def _chain(first: str | None, rest: Any) -> Any:
    if first is None:
        return
    yield first
    async for item in rest:
        yield item


async def serve(ctx: Ctx) -> web.StreamResponse:
    pod = ctx.api.get(ctx.info, ctx.ri.name, ctx.namespace)
    opts = options(ctx, pod)
    if not (pod.get("spec") or {}).get("nodeName"):
        return web.Response(body=b"", content_type="text/plain")
    source = ctx.server.logs or NoLogs()
    lines = source.stream(pod, opts).__aiter__()
    first = await anext(lines, None)  # errors (container not started...) before the 200
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.enable_chunked_encoding()
    await response.prepare(ctx.request)
    ctx.request[STREAMING] = True
    sent = 0
    with contextlib.suppress(ConnectionResetError):
        async for line in _chain(first, lines):
            data = line.encode()
            if opts.limit_bytes is not None:
                data = data[: max(0, opts.limit_bytes - sent)]
            sent += len(data)
            await response.write(data)
            if opts.limit_bytes is not None and sent >= opts.limit_bytes:
                break
        await response.write_eof()
    return response
