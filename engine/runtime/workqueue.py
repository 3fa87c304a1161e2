"""Work queues: the hand-off between event handlers and controller workers.

Upstream: k8s.io/client-go ``util/workqueue`` (``queue.go``,
``delaying_queue.go``, ``rate_limiting_queue.go``). The guarantees that make
level-triggered controllers correct carry over unchanged:

* an item queued many times before a worker takes it is processed once
  (the *dirty* set);
* an item is never handed to two workers at once (the *processing* set); if
  it is added while being processed it is queued again when ``done`` is
  called, so the latest state is always reconciled;
* items come out in FIFO order, and delayed items become ready in
  (ready time, insertion) order, so identical inputs give identical runs.

Everything runs on the engine loop; ``get`` is a coroutine that waits for an
item instead of blocking a goroutine on a condition variable.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import deque
from collections.abc import Hashable

from engine.clock import Clock
from engine.runtime.ratelimiter import RateLimiter, default_controller_rate_limiter


class ShutDown(Exception):
    """Raised by :meth:`WorkQueue.get` once the queue is shut down and empty
    (upstream's ``shutdown == true`` return)."""


class WorkQueue:
    """``workqueue.Typed``: a deduplicating FIFO with a processing set."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._queue: deque[Hashable] = deque()
        self._dirty: set[Hashable] = set()
        self._processing: set[Hashable] = set()
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._drained: asyncio.Future[None] | None = None
        self._shutting_down = False

    def add(self, item: Hashable) -> None:
        """Mark ``item`` as needing processing."""
        if self._shutting_down or item in self._dirty:
            return
        self._dirty.add(item)
        if item in self._processing:
            return  # re-queued by done()
        self._queue.append(item)
        self._wake_one()

    def __len__(self) -> int:
        return len(self._queue)

    def len(self) -> int:
        """Items waiting to be processed (client-go's ``Len``)."""
        return len(self._queue)

    async def get(self) -> Hashable:
        """The next item, waiting for one; raises :class:`ShutDown` once the
        queue is shut down and empty. Call :meth:`done` when finished."""
        while not self._queue:
            if self._shutting_down:
                raise ShutDown(self.name)
            await self._wait()
        item = self._queue.popleft()
        self._processing.add(item)
        self._dirty.discard(item)
        return item

    def done(self, item: Hashable) -> None:
        """Processing of ``item`` finished; re-queue it if it was re-added."""
        self._processing.discard(item)
        if item in self._dirty:
            self._queue.append(item)
            self._wake_one()
        elif not self._processing and self._drained is not None:
            _resolve(self._drained)

    def shut_down(self) -> None:
        """Stop accepting items; workers drain what is queued, then get ShutDown."""
        self._shutting_down = True
        while self._waiters:
            _resolve(self._waiters.popleft())

    async def shut_down_with_drain(self) -> None:
        """Shut down, then wait until every item being processed is done."""
        self.shut_down()
        while self._processing:
            self._drained = asyncio.get_running_loop().create_future()
            await self._drained
        self._drained = None

    def shutting_down(self) -> bool:
        return self._shutting_down

    # -- waiting -------------------------------------------------------------
    async def _wait(self) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            # A wake-up handed to a cancelled waiter must not be lost.
            if waiter.done() and not waiter.cancelled():
                self._wake_one()
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            raise

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


class DelayingQueue(WorkQueue):
    """``workqueue.TypedDelayingInterface``: ``add_after`` on the engine clock.

    Waiting items sit in one heap ordered by (ready time, insertion order)
    with a single loop timer for the earliest, as upstream's ``waitingLoop``
    does. An item already waiting keeps the earlier of its two ready times.
    """

    def __init__(self, clock: Clock, name: str = "") -> None:
        super().__init__(name)
        self.clock = clock
        self._heap: list[tuple[float, int, Hashable]] = []
        self._ready_at: dict[Hashable, float] = {}
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0

    def add_after(self, item: Hashable, delay: float) -> None:
        """Add ``item`` once ``delay`` seconds have passed on the clock."""
        if self._shutting_down:
            return
        if delay <= 0:
            self.add(item)
            return
        ready = self.clock.monotonic() + delay
        known = self._ready_at.get(item)
        if known is not None and known <= ready:
            return
        self._ready_at[item] = ready
        heapq.heappush(self._heap, (ready, next(self._seq), item))
        self._arm()

    def waiting(self) -> int:
        """Items waiting for their delay to pass."""
        return len(self._ready_at)

    def shut_down(self) -> None:
        super().shut_down()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._heap.clear()
        self._ready_at.clear()

    def _arm(self) -> None:
        when = self._heap[0][0]
        if self._timer is not None:
            if self._timer_at <= when:
                return
            self._timer.cancel()
        self._timer_at = when
        self._timer = self.clock.call_at(when, self._fire)

    def _fire(self) -> None:
        # asyncio runs a timer up to one clock resolution early: what was due
        # at the armed time is due now, or the timer would re-arm forever.
        self._timer = None
        now = max(self.clock.monotonic(), self._timer_at)
        heap = self._heap
        while heap and heap[0][0] <= now:
            ready, _, item = heapq.heappop(heap)
            if self._ready_at.get(item) == ready:  # else superseded by an earlier time
                del self._ready_at[item]
                self.add(item)
        if heap:
            self._arm()


class RateLimitingQueue(DelayingQueue):
    """``workqueue.TypedRateLimitingInterface``: retries wait as the limiter says.

    The default limiter is client-go's ``DefaultControllerRateLimiter``.
    """

    def __init__(
        self, clock: Clock, rate_limiter: RateLimiter | None = None, name: str = ""
    ) -> None:
        super().__init__(clock, name)
        self.rate_limiter = rate_limiter or default_controller_rate_limiter(clock)

    def add_rate_limited(self, item: Hashable) -> None:
        """Add ``item`` after the delay its failure count calls for."""
        self.add_after(item, self.rate_limiter.when(item))

    def forget(self, item: Hashable) -> None:
        """Reset ``item``'s backoff (it succeeded); does not remove it."""
        self.rate_limiter.forget(item)

    def num_requeues(self, item: Hashable) -> int:
        return self.rate_limiter.num_requeues(item)


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)
