"""The controller base: informers feed keys to a queue; workers reconcile them.

Upstream: k8s.io/sample-controller ``controller.go`` (``Run``, ``runWorker``,
``processNextWorkItem``) and k8s.io/kubernetes ``pkg/controller``
(``KeyFunc``). The shape every kube controller shares:

* event handlers only compute ``namespace/name`` keys and queue them
  (edge-triggered notifications, deduplicated by the work queue);
* ``reconcile(key)`` reads the *current* state from listers and drives the
  world towards it (level-triggered: it never trusts what the event said);
* a raised exception retries the key with the rate limiter's backoff; a
  normal return forgets the key's failures; returning a number of seconds
  asks to look again after that long (a periodic re-check).

A failing reconcile is logged and retried, never propagated: one bad object
must not stop the loop or the other keys.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import Any

from engine.clock import Clock
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.informer import HandlerRegistration, SharedInformer
from engine.runtime.keys import deletion_handling_key, tombstone_object
from engine.runtime.ratelimiter import RateLimiter
from engine.runtime.workqueue import RateLimitingQueue, ShutDown

Obj = dict[str, Any]
MapFunc = Callable[[Obj], "str | Iterable[str] | None"]

logger = logging.getLogger(__name__)


class Controller:
    """Subclass, register informers with :meth:`watch`, implement :meth:`reconcile`."""

    name = "controller"

    def __init__(
        self,
        clock: Clock,
        *,
        name: str | None = None,
        workers: int = 1,
        rate_limiter: RateLimiter | None = None,
        max_retries: int | None = None,
    ) -> None:
        self.clock = clock
        if name is not None:
            self.name = name
        self.workers = workers
        self.max_retries = max_retries
        self.queue = RateLimitingQueue(clock, rate_limiter, name=self.name)
        self.informers: list[SharedInformer] = []
        self._stop: asyncio.Future[None] | None = None
        self._stopping = False

    # -- wiring ----------------------------------------------------------------------
    def watch(
        self, informer: SharedInformer, map_func: MapFunc | None = None
    ) -> HandlerRegistration:
        """Queue keys for ``informer``'s changes: the object's own key, or the
        keys ``map_func(obj)`` returns (e.g. a pod's owning ReplicaSet)."""
        if informer not in self.informers:
            self.informers.append(informer)
        return informer.add_event_handler(_EnqueueHandler(self.queue, map_func))

    def enqueue(self, obj: Any) -> None:
        """Queue ``obj``'s key (a tombstone's key for a missed deletion)."""
        self.queue.add(deletion_handling_key(obj))

    def enqueue_after(self, obj: Any, delay: float) -> None:
        self.queue.add_after(deletion_handling_key(obj), delay)

    def enqueue_rate_limited(self, obj: Any) -> None:
        self.queue.add_rate_limited(deletion_handling_key(obj))

    # -- the work ----------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        """Make the world match the desired state for ``key``.

        Raise to retry with backoff; return None when done, or seconds after
        which to reconcile again."""
        raise NotImplementedError

    def has_synced(self) -> bool:
        return all(i.has_synced() for i in self.informers)

    async def run(self, workers: int | None = None) -> None:
        """Wait for the caches, then reconcile with ``workers`` workers until :meth:`stop`."""
        self._stop = asyncio.get_running_loop().create_future()
        if self._stopping:
            return
        logger.info("starting %s controller", self.name)
        if not await self._wait_for_caches():
            logger.info("%s controller stopped before its caches synced", self.name)
            return
        count = self.workers if workers is None else workers
        tasks = [asyncio.get_running_loop().create_task(self._worker()) for _ in range(count)]
        try:
            await asyncio.gather(*tasks)
        finally:
            self.queue.shut_down()
            for task in tasks:
                task.cancel()
            logger.info("shutting down %s controller", self.name)

    def stop(self) -> None:
        """Stop taking new keys; workers finish what is queued, then ``run`` returns."""
        self._stopping = True
        self.queue.shut_down()
        if self._stop is not None and not self._stop.done():
            self._stop.set_result(None)

    async def _wait_for_caches(self) -> bool:
        loop = asyncio.get_running_loop()
        synced = loop.create_task(_all_synced(self.informers))
        await asyncio.wait({synced, self._stop}, return_when=asyncio.FIRST_COMPLETED)
        if not synced.done():
            synced.cancel()
            return False
        return synced.result() and not self._stopping

    async def _worker(self) -> None:
        while await self.process_next_work_item():
            pass

    async def process_next_work_item(self) -> bool:
        """Reconcile one key; False once the queue is shut down and empty."""
        try:
            key = await self.queue.get()
        except ShutDown:
            return False
        try:
            await self._sync(key)
        finally:
            self.queue.done(key)
        return True

    async def _sync(self, key: Any) -> None:
        try:
            after = await self.reconcile(key)
        except Exception as err:
            self.handle_error(key, err)
            return
        self.queue.forget(key)
        if after is not None:
            self.queue.add_after(key, after)

    def handle_error(self, key: Any, err: Exception) -> None:
        """Log and requeue with backoff; drop after ``max_retries`` if set."""
        retries = self.queue.num_requeues(key)
        if self.max_retries is not None and retries >= self.max_retries:
            logger.warning(
                "%s: dropping %s out of the queue after %d retries: %s",
                self.name,
                key,
                retries,
                err,
                exc_info=err,
            )
            self.queue.forget(key)
            return
        logger.warning("%s: error syncing %s, requeuing: %s", self.name, key, err, exc_info=err)
        self.queue.add_rate_limited(key)


class _EnqueueHandler(ResourceEventHandler):
    """Turns notifications into keys on the controller's queue."""

    def __init__(self, queue: RateLimitingQueue, map_func: MapFunc | None) -> None:
        self.queue = queue
        self.map_func = map_func

    def on_add(self, obj: Obj) -> None:
        self._enqueue(obj)

    def on_update(self, old: Obj, new: Obj) -> None:
        if self.map_func is not None and old is not new:
            self._enqueue(old)  # e.g. a pod that changed owner: both owners look again
        self._enqueue(new)

    def on_delete(self, obj: Any) -> None:
        self._enqueue(obj)

    def _enqueue(self, obj: Any) -> None:
        if self.map_func is None:
            self.queue.add(deletion_handling_key(obj))
            return
        keys = self.map_func(tombstone_object(obj))
        if keys is None:
            return
        if isinstance(keys, str):
            self.queue.add(keys)
            return
        for key in keys:
            self.queue.add(key)


async def _all_synced(informers: list[SharedInformer]) -> bool:
    results = await asyncio.gather(*(i.wait_for_cache_sync() for i in informers))
    return all(results)
