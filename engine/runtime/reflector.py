"""The reflector: keeps a local store in step with the API server.

Upstream: k8s.io/client-go ``tools/cache/reflector.go`` (``ListAndWatch``).
It lists, hands the whole list to the store (``replace``), then watches from
the list's resourceVersion with bookmarks on, applying every event in order
and remembering the last resourceVersion seen. When the watch ends it
re-watches from there; when the server answers 410 Expired (that revision
was compacted away) it lists again after a backoff.

The store is anything with ``add``/``update``/``delete``/``replace``: a bare
:class:`~engine.runtime.indexer.Indexer`, or an informer's notifying store.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from engine.api.errors import StatusError
from engine.clock import Clock

Obj = dict[str, Any]

logger = logging.getLogger(__name__)


class ReflectorStore(Protocol):
    """The slice of ``cache.Store`` a reflector writes to."""

    def add(self, obj: Obj) -> None: ...

    def update(self, obj: Obj) -> None: ...

    def delete(self, obj: Obj) -> None: ...

    def replace(self, items: list[Obj], resource_version: str) -> None: ...


class Backoff:
    """The reflector's ``ExponentialBackoffManager``: 0.8s doubling to 30s,
    back to 0.8s after two quiet minutes. No jitter, so runs on the virtual
    clock are reproducible."""

    def __init__(
        self,
        clock: Clock,
        initial: float = 0.8,
        cap: float = 30.0,
        factor: float = 2.0,
        reset_after: float = 120.0,
    ) -> None:
        self.clock = clock
        self.initial, self.cap, self.factor, self.reset_after = initial, cap, factor, reset_after
        self._delay = initial
        self._last: float | None = None

    def next(self) -> float:
        now = self.clock.monotonic()
        if self._last is None or now - self._last > self.reset_after:
            self._delay = self.initial
        else:
            self._delay = min(self._delay * self.factor, self.cap)
        self._last = now
        return self._delay


class _Expired(Exception):
    """The watch's resourceVersion is gone: relist."""


class Reflector:
    """List and watch one resource (optionally one namespace / selectors) into ``store``."""

    def __init__(
        self,
        client: Any,
        resource: Any,
        store: ReflectorStore,
        *,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        watch_timeout: float | None = None,
        name: str = "",
    ) -> None:
        self.client = client
        self.clock: Clock = client.clock
        self.resource = resource
        self.store = store
        self.namespace = namespace or None
        self.label_selector = label_selector or None
        self.field_selector = field_selector or None
        self.watch_timeout = watch_timeout
        self.name = name or str(getattr(resource, "plural", resource))
        self.last_sync_resource_version = ""
        self.list_count = 0
        self.watch_count = 0
        self._backoff = Backoff(self.clock)
        self._watch: Any = None
        self._sleeper: asyncio.Future[None] | None = None
        self._stopped = False

    # -- lifecycle -------------------------------------------------------------------
    async def run(self) -> None:
        """List and watch until :meth:`stop`; errors back off and relist."""
        while not self._stopped:
            try:
                await self.list_and_watch()
            except _Expired as err:
                logger.info("%s: watch expired, relisting: %s", self.name, err)
            except Exception as err:  # a reflector never dies of an error
                logger.warning("%s: list/watch failed: %s", self.name, err)
            if not self._stopped:
                await self._sleep(self._backoff.next())

    def stop(self) -> None:
        self._stopped = True
        if self._watch is not None:
            self._watch.stop()
        if self._sleeper is not None and not self._sleeper.done():
            self._sleeper.set_result(None)

    @property
    def stopped(self) -> bool:
        return self._stopped

    # -- ListAndWatch ----------------------------------------------------------------
    async def list_and_watch(self) -> None:
        self.list()
        while not self._stopped:
            await self._watch_once()

    def list(self) -> None:
        """List everything and replace the store's contents with it."""
        result = self.client.list(
            self.resource,
            self.namespace,
            label_selector=self.label_selector,
            field_selector=self.field_selector,
        )
        rv = result["metadata"]["resourceVersion"]
        self.list_count += 1
        self.store.replace(result["items"], rv)
        self.last_sync_resource_version = rv

    async def _watch_once(self) -> None:
        """One watch from the last resourceVersion, until it ends."""
        try:
            watch = self.client.watch(
                self.resource,
                self.namespace,
                label_selector=self.label_selector,
                field_selector=self.field_selector,
                resource_version=self.last_sync_resource_version,
                allow_bookmarks=True,
            )
        except StatusError as err:
            if err.code == 410:
                raise _Expired(str(err)) from err
            raise
        self.watch_count += 1
        self._watch = watch
        timer = None
        if self.watch_timeout:
            timer = self.clock.call_later(self.watch_timeout, watch.stop)
        try:
            await self._consume(watch)
        finally:
            self._watch = None
            if timer is not None:
                timer.cancel()
            watch.stop()

    async def _consume(self, watch: Any) -> None:
        handle = self._handle
        while not self._stopped:
            event = await watch.next()
            if event is None:
                return
            handle(event.type, event.object)
            for event in watch.drain():
                if self._stopped:
                    return
                handle(event.type, event.object)

    def _handle(self, kind: str, obj: Obj) -> None:
        if kind == "MODIFIED":
            self.store.update(obj)
        elif kind == "ADDED":
            self.store.add(obj)
        elif kind == "DELETED":
            self.store.delete(obj)
        elif kind == "ERROR":
            raise _status_error(obj)
        elif kind != "BOOKMARK":
            logger.warning("%s: unknown watch event type %r", self.name, kind)
            return
        self.last_sync_resource_version = obj["metadata"]["resourceVersion"]

    async def _sleep(self, delay: float) -> None:
        """Sleep on the clock; :meth:`stop` cuts it short."""
        fut = asyncio.get_running_loop().create_future()
        timer = self.clock.call_later(delay, _resolve, fut)
        self._sleeper = fut
        try:
            await fut
        finally:
            timer.cancel()
            self._sleeper = None


def _status_error(status: Obj) -> Exception:
    code = int(status.get("code") or 500)
    err = StatusError(code, status.get("reason", ""), status.get("message", ""))
    return _Expired(str(err)) if code == 410 else err


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)
