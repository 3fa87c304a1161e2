"""The shared informer: one cache of one resource, many event handlers.

Upstream: k8s.io/client-go ``tools/cache/shared_informer.go``. A reflector
fills an :class:`~engine.runtime.indexer.Indexer`; every change is then
announced to each registered handler, in order:

* list items already cached become ``on_update(old, new)``, new ones
  ``on_add``; cached objects missing from a relist become ``on_delete`` with
  a :class:`~engine.runtime.keys.DeletedFinalStateUnknown` tombstone
  (``DeltaFIFO.Replace`` then ``processDeltas``);
* a handler added after the informer has data first receives an ``on_add``
  for every cached object, as upstream's late listeners do;
* every ``resync_period`` a handler receives ``on_update(obj, obj)`` for each
  cached object, so level-triggered controllers re-check the world.

Upstream runs each handler on its own goroutine behind a buffer; here the
engine loop is the only thread, so handlers run inline (and must be quick).
There is no DeltaFIFO: events are applied and announced as they are read,
without copying the shared objects, which keeps up with tens of thousands of
events per second.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from engine.runtime.handlers import EventHandlerFuncs, ResourceEventHandler
from engine.runtime.indexer import NAMESPACE_INDEX, Indexer, IndexFunc, meta_namespace_index_func
from engine.runtime.keys import DeletedFinalStateUnknown
from engine.runtime.lister import Lister
from engine.runtime.reflector import Reflector

Obj = dict[str, Any]
Transform = Callable[[Obj], Obj]

logger = logging.getLogger(__name__)

# Upstream's minimumResyncPeriod: shorter periods are raised to this.
MINIMUM_RESYNC_PERIOD = 1.0


class HandlerRegistration:
    """What ``add_event_handler`` returns (``ResourceEventHandlerRegistration``)."""

    def __init__(
        self, informer: SharedInformer, handler: ResourceEventHandler, resync_period: float
    ) -> None:
        self.informer = informer
        self.handler = handler
        self.resync_period = resync_period
        self.next_resync = 0.0

    def has_synced(self) -> bool:
        """The handler has been told about every object of the initial list."""
        return self.informer.has_synced()


class _NotifyingStore:
    """The reflector's store: update the indexer, then tell every handler
    (``sharedIndexInformer.HandleDeltas`` without the intermediate FIFO)."""

    def __init__(self, informer: SharedInformer) -> None:
        self.informer = informer
        self.indexer = informer.indexer
        self.key_func = informer.indexer.key_func
        self.transform = informer.transform

    def add(self, obj: Obj) -> None:
        if self.transform is not None:
            obj = self.transform(obj)
        old = self.indexer.put(self.key_func(obj), obj)
        if old is None:
            self.informer._distribute_add(obj)
        else:
            self.informer._distribute_update(old, obj)

    update = add  # ADDED and MODIFIED both become add-or-update, as upstream

    def delete(self, obj: Obj) -> None:
        if self.indexer.pop(self.key_func(obj)) is not None:
            self.informer._distribute_delete(obj)

    def replace(self, items: list[Obj], resource_version: str) -> None:
        listed: set[str] = set()
        for obj in items:
            if self.transform is not None:
                obj = self.transform(obj)
            key = self.key_func(obj)
            listed.add(key)
            old = self.indexer.put(key, obj)
            if old is None:
                self.informer._distribute_add(obj)
            else:
                self.informer._distribute_update(old, obj)
        for key in [k for k in self.indexer.list_keys() if k not in listed]:
            old = self.indexer.pop(key)
            if old is not None:
                self.informer._distribute_delete(DeletedFinalStateUnknown(key, old))
        self.indexer.resource_version = resource_version
        self.informer._mark_synced()


class SharedInformer:
    """``SharedIndexInformer`` for one resource, namespace and selector set."""

    def __init__(
        self,
        client: Any,
        resource: Any,
        *,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        resync_period: float = 0.0,
        indexers: dict[str, IndexFunc] | None = None,
        transform: Transform | None = None,
        watch_timeout: float | None = None,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.resource = resource
        self.namespace = namespace or None
        self.label_selector = label_selector or None
        self.field_selector = field_selector or None
        self.default_resync_period = resync_period
        self.transform = transform
        self.indexer = Indexer(
            indexers={NAMESPACE_INDEX: meta_namespace_index_func, **(indexers or {})}
        )
        self.reflector = Reflector(
            client,
            resource,
            _NotifyingStore(self),
            namespace=namespace,
            label_selector=label_selector,
            field_selector=field_selector,
            watch_timeout=watch_timeout,
        )
        self._handlers: tuple[HandlerRegistration, ...] = ()
        self._calls: dict[str, tuple[tuple[ResourceEventHandler, Callable[..., None]], ...]] = {
            "on_add": (), "on_update": (), "on_delete": ()}
        self._synced = False
        self._started = False
        self._stopped = False
        self._waiters: list[asyncio.Future[None]] = []
        self._resync_timer: asyncio.TimerHandle | None = None
        self._resync_at = 0.0
        self._task: asyncio.Task[None] | None = None

    # -- handlers ------------------------------------------------------------------------
    def add_event_handler(
        self,
        handler: ResourceEventHandler | None = None,
        *,
        on_add: Callable[[Obj], None] | None = None,
        on_update: Callable[[Obj, Obj], None] | None = None,
        on_delete: Callable[[Any], None] | None = None,
        resync_period: float | None = None,
    ) -> HandlerRegistration:
        """Register a handler (or up to three callables); a handler added once
        the cache holds objects is first told about each of them as an add."""
        if self._stopped:
            raise RuntimeError("handler was not added to the informer: it has stopped")
        if handler is None:
            handler = EventHandlerFuncs(on_add, on_update, on_delete)
        reg = HandlerRegistration(self, handler, self._resync_period(resync_period))
        self._handlers = (*self._handlers, reg)
        self._bind_calls()
        for obj in self.indexer.list():
            _call(handler.on_add, obj)
        if self._started and reg.resync_period:
            reg.next_resync = self.clock.monotonic() + reg.resync_period
            self._schedule_resync()
        return reg

    def remove_event_handler(self, registration: HandlerRegistration) -> None:
        self._handlers = tuple(r for r in self._handlers if r is not registration)
        self._bind_calls()

    def _bind_calls(self) -> None:
        """Look each handler's methods up once, not on every event; a method a
        handler leaves as the base class's no-op is not called at all."""
        self._calls = {
            method: tuple((r.handler, getattr(r.handler, method)) for r in self._handlers
                          if _overrides(r.handler, method))
            for method in ("on_add", "on_update", "on_delete")}

    def add_indexers(self, indexers: dict[str, IndexFunc]) -> None:
        self.indexer.add_indexers(indexers)

    def _resync_period(self, requested: float | None) -> float:
        period = self.default_resync_period if requested is None else requested
        if period <= 0:
            return 0.0
        return max(period, MINIMUM_RESYNC_PERIOD)

    # -- distribution (hot path) -----------------------------------------------------------
    def _distribute_add(self, obj: Obj) -> None:
        for handler, on_add in self._calls["on_add"]:
            try:
                on_add(obj)
            except Exception:
                _log_failure(handler, "on_add")

    def _distribute_update(self, old: Obj, new: Obj) -> None:
        for handler, on_update in self._calls["on_update"]:
            try:
                on_update(old, new)
            except Exception:
                _log_failure(handler, "on_update")

    def _distribute_delete(self, obj: Any) -> None:
        for handler, on_delete in self._calls["on_delete"]:
            try:
                on_delete(obj)
            except Exception:
                _log_failure(handler, "on_delete")

    # -- lifecycle ----------------------------------------------------------------------------
    async def run(self) -> None:
        """List, watch and notify until :meth:`stop` (``Run(stopCh)``)."""
        if self._started:
            raise RuntimeError("informer already started")
        if self._stopped:
            return  # stopped before it ran; upstream cannot restart one either
        self._started = True
        now = self.clock.monotonic()
        for reg in self._handlers:
            reg.next_resync = now + reg.resync_period
        self._schedule_resync()
        try:
            await self.reflector.run()
        finally:
            self._shut()

    def start(self) -> asyncio.Task[None]:
        """Run in a background task on the running loop; returns that task."""
        if self._task is None:
            self._task = _loop_of(self.clock).create_task(self.run())
        return self._task

    def stop(self) -> None:
        self.reflector.stop()
        self._shut()

    def _shut(self) -> None:
        self._stopped = True
        if self._resync_timer is not None:
            self._resync_timer.cancel()
            self._resync_timer = None
        self._wake_waiters()

    @property
    def started(self) -> bool:
        """``run`` has begun, or ``start`` has scheduled it."""
        return self._started or self._task is not None

    @property
    def stopped(self) -> bool:
        return self._stopped

    # -- sync --------------------------------------------------------------------------------
    def has_synced(self) -> bool:
        """The first list has been applied and announced."""
        return self._synced

    async def wait_for_cache_sync(self) -> bool:
        """Wait until synced; False if the informer stopped first."""
        while not self._synced:
            if self._stopped:
                return False
            fut = asyncio.get_running_loop().create_future()
            self._waiters.append(fut)
            await fut
        return True

    def _mark_synced(self) -> None:
        if not self._synced:
            self._synced = True
            self._wake_waiters()

    def _wake_waiters(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    @property
    def last_sync_resource_version(self) -> str:
        return self.reflector.last_sync_resource_version

    # -- access ---------------------------------------------------------------------------
    def get_indexer(self) -> Indexer:
        return self.indexer

    get_store = get_indexer

    def lister(self) -> Lister:
        return Lister(self.indexer)

    # -- resync ------------------------------------------------------------------------------
    def _schedule_resync(self) -> None:
        if self._stopped:
            return
        due = [r.next_resync for r in self._handlers if r.resync_period]
        when = min(due) if due else None
        if self._resync_timer is not None:
            if when is not None and self._resync_at <= when:
                return
            self._resync_timer.cancel()
            self._resync_timer = None
        if when is not None:
            self._resync_at = when
            self._resync_timer = self.clock.call_at(when, self._resync)

    def _resync(self) -> None:
        """``on_update(obj, obj)`` for every cached object, to each handler due."""
        self._resync_timer = None
        now = max(self.clock.monotonic(), self._resync_at)
        due = [r for r in self._handlers if r.resync_period and r.next_resync <= now]
        for reg in due:
            reg.next_resync = now + reg.resync_period
        if self._synced and due:
            for obj in self.indexer.list():
                for reg in due:
                    _call(reg.handler.on_update, obj, obj)
        self._schedule_resync()


def _overrides(handler: ResourceEventHandler, method: str) -> bool:
    """Whether ``handler.method`` does anything (is not ``ResourceEventHandler``'s no-op)."""
    if method in getattr(handler, "__dict__", ()):
        return True
    return getattr(type(handler), method, None) is not getattr(ResourceEventHandler, method)


def _call(fn: Callable[..., None], *args: Any) -> None:
    """Run one handler; its failure is logged, never the informer's."""
    try:
        fn(*args)
    except Exception:
        _log_failure(fn, "")


def _log_failure(handler: Any, method: str) -> None:
    logger.exception("event handler %r %s failed", handler, method)


def _loop_of(clock: Any) -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return clock.loop
