"""Controller runtime throughput (engine/runtime).

Goal: an informer keeps up with 20,000 watch events/s while a controller-style
handler queues each object's key. Figures:

* informer, synthetic watch: the informer path alone (cache update, namespace
  index, handler, work queue add) fed from a pre-built event list;
* informer, API server: pods written through the API server, then the time the
  informer takes to apply and announce the queued events (writes not timed);
* work queue: add + get + done cycles.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchmarks.common import repeat, row
from engine.api.server import APIServer
from engine.api.watchcache import WatchEvent
from engine.client import LocalClient
from engine.clock import VirtualClock
from engine.runtime import RateLimitingQueue, SharedInformer, WorkQueue, deletion_handling_key
from engine.store import Store


def _pod(i: int, rv: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"pod-{i % 5000}",
            "namespace": f"ns-{i % 7}",
            "resourceVersion": str(rv),
            "labels": {"app": "bench"},
        },
        "spec": {"nodeName": f"node-{i % 50}"},
    }


class _Watch:
    """A watch that hands out a fixed batch of events, then idles until stopped."""

    def __init__(self, events: list[WatchEvent]) -> None:
        self._events = events
        self.done = asyncio.get_running_loop().create_future()
        self._stopped = asyncio.get_running_loop().create_future()

    async def next(self) -> WatchEvent | None:
        if self._events:
            return self._events.pop(0)
        if not self.done.done():
            self.done.set_result(None)
        await self._stopped
        return None

    def drain(self) -> list[WatchEvent]:
        out, self._events = self._events, []
        return out

    def stop(self) -> None:
        if not self._stopped.done():
            self._stopped.set_result(None)


class _Client:
    def __init__(self, clock: VirtualClock, events: list[WatchEvent]) -> None:
        self.clock = clock
        self.events = events
        self.watch_obj: _Watch | None = None

    def list(self, resource: Any, namespace: Any = None, **_: Any) -> dict:
        return {"metadata": {"resourceVersion": "1"}, "items": []}

    def watch(self, resource: Any, namespace: Any = None, **_: Any) -> _Watch:
        self.watch_obj = _Watch(self.events)
        self.events = []
        return self.watch_obj


def _synthetic(n: int) -> float:
    events = []
    for i in range(n):
        kind = "ADDED" if i < 5000 else ("DELETED" if i % 10 == 0 else "MODIFIED")
        events.append(WatchEvent(kind, _pod(i, i + 2)))
    clock = VirtualClock()
    loop = clock.new_event_loop()
    client = _Client(clock, events)

    async def go() -> float:
        queue = RateLimitingQueue(clock)
        informer = SharedInformer(client, "pods")
        informer.add_event_handler(
            on_add=lambda o: queue.add(deletion_handling_key(o)),
            on_update=lambda o, n: queue.add(deletion_handling_key(n)),
            on_delete=lambda o: queue.add(deletion_handling_key(o)),
        )
        start = time.perf_counter()
        informer.start()
        await informer.wait_for_cache_sync()
        while client.watch_obj is None:
            await asyncio.sleep(0)
        await client.watch_obj.done
        elapsed = time.perf_counter() - start
        informer.stop()
        return n / elapsed

    try:
        return loop.run_until_complete(go())
    finally:
        loop.close()


def _from_api(n: int) -> float:
    clock = VirtualClock()
    loop = clock.new_event_loop()
    api = APIServer(Store(), clock)
    api.create("namespaces", {"metadata": {"name": "default"}})
    pods = [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"pod-{i}", "labels": {"app": "bench"}},
            "spec": {"containers": [{"name": "app", "image": "nginx"}]},
        }
        for i in range(n)
    ]

    async def go() -> float:
        queue = WorkQueue()
        informer = SharedInformer(LocalClient(api), "pods")
        informer.add_event_handler(on_add=lambda o: queue.add(deletion_handling_key(o)))
        informer.start()
        await informer.wait_for_cache_sync()
        for p in pods:  # no yield: every event waits in the informer's watch
            api.create("pods", p, namespace="default")
        start = time.perf_counter()
        while len(queue) < n:
            await asyncio.sleep(0)
        elapsed = time.perf_counter() - start
        informer.stop()
        return n / elapsed

    try:
        return loop.run_until_complete(go())
    finally:
        api.close()
        loop.close()


def _workqueue(n: int) -> float:
    clock = VirtualClock()
    loop = clock.new_event_loop()

    async def go() -> float:
        q = WorkQueue()
        keys = [f"ns/obj-{i % 1000}" for i in range(n)]
        start = time.perf_counter()
        for key in keys:
            q.add(key)
            if len(q) >= 100:
                while len(q):
                    item = await q.get()
                    q.done(item)
        return n / (time.perf_counter() - start)

    try:
        return loop.run_until_complete(go())
    finally:
        loop.close()


def run(quick: bool = False) -> list[dict]:
    n, times = (20_000, 3) if quick else (100_000, 5)
    api_n = 5_000 if quick else 20_000
    return [
        row(
            "runtime: informer events, synthetic watch",
            repeat(lambda: _synthetic(n), times),
            "events/s",
            20_000,
        ),
        row(
            "runtime: informer events, from the API server",
            repeat(lambda: _from_api(api_n), max(1, times // 2)),
            "events/s",
            20_000,
        ),
        row("runtime: work queue add+get+done", repeat(lambda: _workqueue(n), times), "ops/s"),
    ]
