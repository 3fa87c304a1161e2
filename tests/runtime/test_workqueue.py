"""Work queue semantics (client-go util/workqueue) on the virtual clock."""

from __future__ import annotations

import asyncio

import pytest

from engine.clock import VirtualClock
from engine.runtime.ratelimiter import ItemExponentialFailureRateLimiter
from engine.runtime.workqueue import DelayingQueue, RateLimitingQueue, ShutDown, WorkQueue


def run(clock: VirtualClock, coro):  # noqa: ANN001, ANN201
    return clock.loop.run_until_complete(coro)


async def drain(q: WorkQueue) -> list:
    out = []
    while len(q):
        item = await q.get()
        out.append(item)
        q.done(item)
    return out


def test_add_deduplicates_and_keeps_fifo_order(clock: VirtualClock) -> None:
    q = WorkQueue()
    for item in ["b", "a", "b", "c", "a"]:
        q.add(item)
    assert q.len() == 3
    assert run(clock, drain(q)) == ["b", "a", "c"]


def test_item_added_while_processing_is_requeued_after_done(clock: VirtualClock) -> None:
    q = WorkQueue()
    q.add("x")

    async def scenario() -> list:
        item = await q.get()
        q.add("x")  # dirty again while processing: not handed out twice
        q.add("x")
        assert len(q) == 0
        q.done(item)
        assert len(q) == 1
        return await drain(q)

    assert run(clock, scenario()) == ["x"]


def test_item_is_never_processed_concurrently(clock: VirtualClock) -> None:
    q = WorkQueue()
    active: set[str] = set()
    processed: list[str] = []

    async def worker() -> None:
        while True:
            try:
                item = await q.get()
            except ShutDown:
                return
            assert item not in active
            active.add(item)
            await clock.sleep(0.01)
            q.add(item if len(processed) < 6 else "other")  # re-add while processing
            processed.append(item)
            active.discard(item)
            q.done(item)

    async def scenario() -> None:
        q.add("k")
        workers = [asyncio.ensure_future(worker()) for _ in range(4)]
        await clock.sleep(1)
        q.shut_down()
        await asyncio.gather(*workers)

    run(clock, scenario())
    assert processed.count("k") >= 6


def test_get_waits_for_an_add_and_shut_down_wakes_waiters(clock: VirtualClock) -> None:
    q = WorkQueue()

    async def scenario() -> list:
        got = []

        async def getter() -> None:
            try:
                got.append(await q.get())
            except ShutDown:
                got.append("shutdown")

        tasks = [asyncio.ensure_future(getter()) for _ in range(2)]
        await asyncio.sleep(0)
        q.add("a")
        await asyncio.sleep(0)
        q.shut_down()
        await asyncio.gather(*tasks)
        return got

    assert run(clock, scenario()) == ["a", "shutdown"]


def test_shut_down_drains_queued_items_then_raises(clock: VirtualClock) -> None:
    q = WorkQueue()
    q.add("a")
    q.shut_down()
    q.add("b")  # ignored once shutting down
    assert run(clock, q.get()) == "a"
    q.done("a")
    with pytest.raises(ShutDown):
        run(clock, q.get())


def test_cancelled_waiter_does_not_lose_a_wakeup(clock: VirtualClock) -> None:
    q = WorkQueue()

    async def scenario() -> str:
        first = asyncio.ensure_future(q.get())
        second = asyncio.ensure_future(q.get())
        await asyncio.sleep(0)
        q.add("a")  # wakes `first`...
        first.cancel()  # ...which is cancelled before it runs
        return await asyncio.wait_for(second, timeout=1)

    assert run(clock, scenario()) == "a"


def test_shut_down_with_drain_waits_for_processing(clock: VirtualClock) -> None:
    q = WorkQueue()
    q.add("a")

    async def scenario() -> float:
        item = await q.get()
        clock.call_later(5, q.done, item)
        await q.shut_down_with_drain()
        return clock.monotonic()

    assert run(clock, scenario()) == pytest.approx(5)


def test_add_after_orders_by_ready_time_then_insertion(clock: VirtualClock) -> None:
    q = DelayingQueue(clock)

    async def scenario() -> list:
        q.add_after("c", 3)
        q.add_after("a", 1)
        q.add_after("b", 1)
        q.add_after("now", 0)
        seen = []
        for _ in range(4):
            item = await q.get()
            seen.append((item, round(clock.monotonic(), 6)))
            q.done(item)
        return seen

    assert run(clock, scenario()) == [("now", 0), ("a", 1), ("b", 1), ("c", 3)]


def test_add_after_keeps_the_earlier_ready_time(clock: VirtualClock) -> None:
    q = DelayingQueue(clock)

    async def scenario() -> float:
        q.add_after("x", 5)
        q.add_after("x", 2)
        q.add_after("x", 10)
        await q.get()
        return clock.monotonic()

    assert run(clock, scenario()) == pytest.approx(2)
    assert q.waiting() == 0


def test_delayed_item_already_queued_is_not_duplicated(clock: VirtualClock) -> None:
    q = DelayingQueue(clock)
    q.add("x")
    q.add_after("x", 1)

    async def scenario() -> int:
        await clock.sleep(2)
        return len(q)

    assert run(clock, scenario()) == 1


def test_shut_down_drops_waiting_items(clock: VirtualClock) -> None:
    q = DelayingQueue(clock)
    q.add_after("x", 1)
    q.shut_down()

    async def scenario() -> int:
        await clock.sleep(2)
        return len(q)

    assert run(clock, scenario()) == 0


def test_rate_limited_requeues_back_off_exponentially(clock: VirtualClock) -> None:
    q = RateLimitingQueue(clock)

    async def scenario() -> list[float]:
        gaps = []
        for _ in range(5):
            start = clock.monotonic()
            q.add_rate_limited("k")
            item = await q.get()
            gaps.append(round(clock.monotonic() - start, 6))
            q.done(item)
        return gaps

    assert run(clock, scenario()) == [0.005, 0.01, 0.02, 0.04, 0.08]
    assert q.num_requeues("k") == 5
    q.forget("k")
    assert q.num_requeues("k") == 0


def test_rate_limiter_is_per_item(clock: VirtualClock) -> None:
    q = RateLimitingQueue(clock, ItemExponentialFailureRateLimiter(1, 100))
    for _ in range(3):
        q.rate_limiter.when("a")
    assert q.num_requeues("a") == 3
    assert q.num_requeues("b") == 0
    assert q.rate_limiter.when("b") == 1
