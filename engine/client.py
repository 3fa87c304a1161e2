"""Clients of the API server: how every component and the UI reach the cluster.

* :class:`LocalClient` is for components on the engine's loop (scheduler,
  controllers, kubelets): direct calls, each tagged with the component's user
  and field manager, as client-go's rest client does for a real component.
* :class:`ThreadClient` is for other threads (the TUI, tests): it hands each
  call to the loop and waits for the answer, so the API server only ever runs
  on one thread and a virtual-clock run stays deterministic. Its watches
  deliver events to a thread-safe queue or a callback.

Both expose the same verbs; k9py depends only on this interface, so a remote
API server can stand in later.
"""

from __future__ import annotations

import asyncio
import queue
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from engine.api.admission.base import UserInfo
from engine.api.watchcache import Watch, WatchEvent

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]

ADMIN = UserInfo()


class LocalClient:
    """Direct calls on the loop thread, as ``user`` and ``field_manager``."""

    def __init__(self, api: APIServer, *, user: UserInfo = ADMIN,
                 field_manager: str | None = None) -> None:
        self.api = api
        self.user = user
        self.field_manager = field_manager

    @property
    def clock(self):  # noqa: ANN201 - the engine clock
        return self.api.clock

    def get(self, resource: Any, name: str, namespace: str | None = None) -> Obj:
        return self.api.get(resource, name, namespace)

    def list(self, resource: Any, namespace: str | None = None, **opts: Any) -> Obj:
        return self.api.list(resource, namespace, **opts)

    def create(self, resource: Any, obj: Obj, *, owned: bool = False, **opts: Any) -> Obj:
        """``owned=True``: the caller hands ``obj`` over (JSON values only,
        nothing shared, never used again) and treats the result as read only
        (it is the object watchers get), so the API server copies neither."""
        return self.api.create(resource, obj, owned=owned, **self._opts(opts))

    def update(self, resource: Any, obj: Obj, *, owned: bool = False, **opts: Any) -> Obj:
        """``owned=True``: the top level, metadata and status are copied before
        the server writes them; see :meth:`APIServer.update`."""
        return self.api.update(resource, obj, owned=owned, **self._opts(opts))

    def update_status(self, resource: Any, obj: Obj, *, owned: bool = False,
                      **opts: Any) -> Obj:
        """``owned=True``: ``obj`` may share its spec with a read-only cached
        object (a status write takes the spec from the stored one), e.g.
        ``{**cached, "status": new_status}``; the result is read only."""
        return self.api.update(resource, obj, subresource="status", owned=owned,
                               **self._opts(opts))

    def patch(self, resource: Any, name: str, body: Any, patch_type: str, **opts: Any) -> Obj:
        return self.api.patch(resource, name, body, patch_type, **self._opts(opts))

    def delete(self, resource: Any, name: str, **opts: Any) -> Obj:
        opts.setdefault("user", self.user)
        return self.api.delete(resource, name, **opts)

    def delete_collection(self, resource: Any, namespace: str | None = None, **opts: Any) -> Obj:
        opts.setdefault("user", self.user)
        return self.api.delete_collection(resource, namespace, **opts)

    def watch(self, resource: Any, namespace: str | None = None, **opts: Any) -> Watch:
        return self.api.watch(resource, namespace, **opts)

    def _opts(self, opts: dict[str, Any]) -> dict[str, Any]:
        opts.setdefault("user", self.user)
        if self.field_manager:
            opts.setdefault("field_manager", self.field_manager)
        return opts


class ThreadWatch:
    """A watch read from another thread: ``get``/``drain`` or a callback."""

    def __init__(self, client: ThreadClient, watch: Watch,
                 callback: Callable[[list[WatchEvent]], None] | None) -> None:
        self._client = client
        self._watch = watch
        self._queue: queue.SimpleQueue[WatchEvent | None] = queue.SimpleQueue()
        self._callback = callback
        self._task = client.call_async(self._pump)

    async def _pump(self) -> None:
        watch = self._watch
        while True:
            event = await watch.next()
            if event is None:
                self._queue.put(None)
                return
            batch = [event, *watch.drain()]
            if self._callback is not None:
                self._callback(batch)
            else:
                for item in batch:
                    self._queue.put(item)

    def get(self, timeout: float | None = None) -> WatchEvent | None:
        """The next event; None when the watch ended. Raises queue.Empty on timeout."""
        return self._queue.get(timeout=timeout)

    def drain(self) -> list[WatchEvent]:
        out = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return out
            if item is None:
                return out
            out.append(item)

    def stop(self) -> None:
        self._client.call(self._watch.stop)


class ThreadClient:
    """The API from any thread: each call runs on the engine loop."""

    def __init__(self, api: APIServer, loop: asyncio.AbstractEventLoop, *,
                 user: UserInfo = ADMIN, field_manager: str | None = None,
                 timeout: float | None = 30.0,
                 settle: Callable[[], None] | None = None) -> None:
        self._local = LocalClient(api, user=user, field_manager=field_manager)
        self._loop = loop
        self.timeout = timeout
        # On a virtual clock, each call waits until the engine has reacted to
        # it, so a driver's calls meet the engine only at idle points and a
        # scenario replays identically.
        self._settle = settle

    @property
    def clock(self):  # noqa: ANN201
        return self._local.clock

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn`` on the loop thread and return (or raise) its result."""
        if _on_loop(self._loop):
            return fn(*args, **kwargs)
        future: Future[Any] = Future()

        def run() -> None:
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as err:  # handed back to the calling thread
                future.set_exception(err)

        self._loop.call_soon_threadsafe(run)
        try:
            return future.result(self.timeout)
        finally:
            if self._settle is not None:
                self._settle()

    def call_async(self, coro_fn: Callable[[], Any]) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro_fn(), self._loop)

    def get(self, resource: Any, name: str, namespace: str | None = None) -> Obj:
        return self.call(self._local.get, resource, name, namespace)

    def list(self, resource: Any, namespace: str | None = None, **opts: Any) -> Obj:
        return self.call(self._local.list, resource, namespace, **opts)

    def create(self, resource: Any, obj: Obj, **opts: Any) -> Obj:
        return self.call(self._local.create, resource, obj, **opts)

    def update(self, resource: Any, obj: Obj, **opts: Any) -> Obj:
        return self.call(self._local.update, resource, obj, **opts)

    def update_status(self, resource: Any, obj: Obj, **opts: Any) -> Obj:
        return self.call(self._local.update_status, resource, obj, **opts)

    def patch(self, resource: Any, name: str, body: Any, patch_type: str, **opts: Any) -> Obj:
        return self.call(self._local.patch, resource, name, body, patch_type, **opts)

    def delete(self, resource: Any, name: str, **opts: Any) -> Obj:
        return self.call(self._local.delete, resource, name, **opts)

    def delete_collection(self, resource: Any, namespace: str | None = None, **opts: Any) -> Obj:
        return self.call(self._local.delete_collection, resource, namespace, **opts)

    def watch(self, resource: Any, namespace: str | None = None, *,
              callback: Callable[[list[WatchEvent]], None] | None = None,
              **opts: Any) -> ThreadWatch:
        """Watch from this thread; ``callback`` (run on the engine thread with
        each batch of events) or ``get``/``drain`` to read them."""
        watch = self.call(self._local.watch, resource, namespace, **opts)
        return ThreadWatch(self, watch, callback)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


__all__ = ["LocalClient", "ThreadClient", "ThreadWatch"]
