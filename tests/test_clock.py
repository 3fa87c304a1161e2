"""The injected clock: virtual time jumps when idle, stays capped for a driver,
and real time can run faster. Timing figures belong in benchmarks; these tests
assert behaviour (what time the engine sees, in what order things happen)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from engine.clock import DEFAULT_EPOCH, RealClock, VirtualClock


def _tickers(clock: VirtualClock, periods: dict[str, float], until: float) -> list:
    loop = clock.new_event_loop()
    log: list[tuple[float, str]] = []

    async def tick(name: str, period: float) -> None:
        while True:
            await clock.sleep(period)
            log.append((clock.monotonic(), name))

    async def main() -> None:
        tasks = [loop.create_task(tick(n, p)) for n, p in periods.items()]
        await clock.sleep(until)
        for t in tasks:
            t.cancel()

    loop.run_until_complete(main())
    loop.close()
    return log


def test_virtual_hour_runs_every_timer_in_order() -> None:
    log = _tickers(VirtualClock(), {"heartbeat": 10, "resync": 7}, 3600)
    assert len(log) == 360 + 514
    assert log[:3] == [(7.0, "resync"), (10.0, "heartbeat"), (14.0, "resync")]
    assert [t for t, _ in log] == sorted(t for t, _ in log)


def test_two_virtual_runs_give_identical_logs() -> None:
    a = _tickers(VirtualClock(), {"a": 3, "b": 5, "c": 11}, 3600)
    b = _tickers(VirtualClock(), {"a": 3, "b": 5, "c": 11}, 3600)
    assert a == b


def test_virtual_clock_reports_fixed_epoch_and_rfc3339() -> None:
    clock = VirtualClock()
    clock.new_event_loop()
    assert clock.now() == DEFAULT_EPOCH
    assert clock.rfc3339() == "2025-01-01T00:00:00Z"
    assert clock.rfc3339_micro() == "2025-01-01T00:00:00.000000Z"


def test_capped_clock_moves_only_when_driver_advances() -> None:
    clock = VirtualClock(horizon=0)
    loop = clock.new_event_loop()
    seen: list[float] = []

    async def tick() -> None:
        while True:
            await clock.sleep(5)
            seen.append(clock.monotonic())

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    loop.call_soon(lambda: loop.create_task(tick()))
    thread.start()
    try:
        clock.settle(timeout=5)
        assert clock.monotonic() == 0 and seen == []
        assert clock.advance(12, timeout=5) == 12
        assert seen == [5, 10]
        clock.advance(3, timeout=5)
        assert seen == [5, 10, 15]
        # work handed over from this thread runs at the current simulated time
        fut = asyncio.run_coroutine_threadsafe(asyncio.sleep(0, result=clock.monotonic()), loop)
        assert fut.result(5) == 15
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_settle_from_another_thread_never_takes_back_an_advance() -> None:
    """Two drivers (a recorder advancing, a client settling after each call):
    every requested second passes, whatever order their requests reach the loop."""
    clock = VirtualClock(horizon=0)
    loop = clock.new_event_loop()
    async def tick() -> None:
        while True:
            await clock.sleep(0.25)

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    loop.call_soon(lambda: loop.create_task(tick()))
    thread.start()
    stop = threading.Event()

    def settle_forever() -> None:
        while not stop.is_set():
            clock.settle(timeout=5)

    settler = threading.Thread(target=settle_forever, daemon=True)
    settler.start()
    try:
        for _ in range(200):
            clock.advance(0.5, timeout=5)
        assert clock.monotonic() == 100
    finally:
        stop.set()
        settler.join(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_advance_rejects_negative_durations() -> None:
    clock = VirtualClock(horizon=0)
    clock.new_event_loop()
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_real_clock_speed_scales_sleeps() -> None:
    clock = RealClock(speed=1000)
    loop = clock.new_event_loop()
    start = clock.monotonic()
    loop.run_until_complete(clock.sleep(50))
    loop.close()
    assert clock.monotonic() - start >= 50


def test_real_clock_rejects_non_positive_speed() -> None:
    with pytest.raises(ValueError):
        RealClock(speed=0)
