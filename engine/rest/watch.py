"""Watch over HTTP: chunked newline-delimited JSON events.

Upstream: k8s.io/apiserver ``pkg/endpoints/handlers/watch.go``
(``serveWatch``: one ``{"type":..,"object":..}`` frame per event, flushed as
it comes; Table watches send one-row Tables, column definitions only in the
first) and ``pkg/storage/cacher`` (a resourceVersion older than the history
answers 200 then an ERROR event carrying the 410 Expired Status). The stream
ends after ``timeoutSeconds`` on the engine clock (the loop's time) or when
the client goes away; either way the engine watch is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from typing import Any

import orjson
from aiohttp import web

from engine.api import errors
from engine.rest import media, tables
from engine.rest.context import STREAMING, Ctx

Obj = dict[str, Any]
# kube-apiserver's --min-request-timeout (1800 s) is the default watch length.
DEFAULT_TIMEOUT = 1800.0
# A watcher this far behind is closed, as the cacher drops unresponsive
# watchers; the client lists and watches again.
MAX_PENDING = 10_000


def _field_selector(ctx: Ctx) -> str | None:
    """A watch on one name is a watch with ``metadata.name=<name>`` (upstream
    ``ListResource`` with a name in the path)."""
    selector = ctx.query.get("fieldSelector") or None
    if ctx.ri.name:
        by_name = f"metadata.name={ctx.ri.name}"
        selector = f"{selector},{by_name}" if selector else by_name
    return selector


class FrameCache:
    """Encoded JSON frames of recent events. The watch cache hands every
    watcher the same event object, so a change seen by a thousand watches
    is serialised once (as the apiserver's cacher caches serializations)."""

    def __init__(self, size: int = 512) -> None:
        self._frames: OrderedDict[tuple[int, str], tuple[Obj, bytes]] = OrderedDict()
        self._size = size

    def frame(self, kind: str, obj: Obj) -> bytes:
        key = (id(obj), kind)
        hit = self._frames.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        data = orjson.dumps({"type": kind, "object": obj}) + b"\n"
        self._frames[key] = (obj, data)  # holding obj keeps its id unique
        if len(self._frames) > self._size:
            self._frames.popitem(last=False)
        return data



class _Encoder:
    """Turns watch events into frames, as Tables when the client asked so;
    ``convert`` turns stored objects into the requested version."""

    def __init__(self, ctx: Ctx, info: Any, convert: Any = None) -> None:
        self.ctx = ctx
        self.info = info
        self.convert = convert
        self.table = media.table_version(ctx.accept)
        self.include = tables.include_object(ctx.query) if self.table else ""
        self.first = True

    def frame(self, kind: str, obj: Obj) -> bytes:
        if self.table and kind not in ("ERROR", "BOOKMARK"):
            obj = tables.table(self.info, [obj], self.ctx.now(), include=self.include,
                               version=self.table, columns=self.first,
                               list_meta={"resourceVersion": obj.get("metadata", {}).get(
                                   "resourceVersion", "")})
            self.first = False
            return orjson.dumps({"type": kind, "object": obj}) + b"\n"
        if self.convert is not None and kind not in ("ERROR", "BOOKMARK"):
            return orjson.dumps({"type": kind, "object": self.convert(obj)}) + b"\n"
        return self.ctx.server.frames.frame(kind, obj)


def _timeout(ctx: Ctx) -> float:
    seconds = ctx.int_param("timeoutSeconds")
    return DEFAULT_TIMEOUT if seconds is None or seconds <= 0 else float(seconds)


async def serve(ctx: Ctx, *, storage: Any = None, convert: Any = None) -> web.StreamResponse:
    """Stream a watch; ``storage`` is the stored resource when the request's
    version differs (then ``convert`` maps each object)."""
    info = storage or ctx.info
    encoder = _Encoder(ctx, info, convert)
    error: errors.StatusError | None = None
    try:
        watch = ctx.api.watch(info, ctx.namespace,
                              label_selector=ctx.query.get("labelSelector") or None,
                              field_selector=_field_selector(ctx),
                              resource_version=ctx.query.get("resourceVersion") or None,
                              allow_bookmarks=ctx.flag("allowWatchBookmarks"))
    except errors.StatusError as err:
        if err.code != 410:
            raise
        watch, error = None, err
    response = web.StreamResponse(headers={"Content-Type": "application/json",
                                           "Cache-Control": "no-cache, private"})
    response.enable_chunked_encoding()
    await response.prepare(ctx.request)
    ctx.request[STREAMING] = True
    if watch is None:
        await response.write(encoder.frame("ERROR", error.status()))
        return response
    try:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_timeout(ctx)):
                await _pump(watch, encoder, response)
        await response.write_eof()
    except ConnectionResetError:  # the client went away while we wrote
        pass
    finally:  # also on cancellation (client disconnect, shutdown)
        watch.stop()
    return response


async def _pump(watch: Any, encoder: _Encoder, response: web.StreamResponse) -> None:
    while True:
        event = await watch.next()
        if event is None:
            return
        frames = [encoder.frame(event.type, event.object)]
        frames.extend(encoder.frame(e.type, e.object) for e in watch.drain())
        await response.write(b"".join(frames))
        if watch.pending > MAX_PENDING:
            return
