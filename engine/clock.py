"""The one clock every component is given.

Components never read the wall clock or sleep on their own: they call
``clock.now()``, ``await clock.sleep(...)`` and ``clock.call_later(...)``.
Both clocks drive an asyncio event loop whose ``time()`` *is* the clock, so
even asyncio's own timeouts follow it:

* :class:`RealClock` runs in real time, optionally faster (``speed=10`` makes
  ten simulated seconds pass per real second).
* :class:`VirtualClock` never waits. When the loop has nothing ready to run it
  jumps straight to the next timer, so a simulated hour of heartbeats and
  back-offs finishes in as long as the work takes, and the same inputs give
  the same schedule every time. A driver in another thread (a scenario, a
  recording) may cap how far time can run with :meth:`VirtualClock.advance`.

This is the only engine module allowed to read ``time``.
"""

from __future__ import annotations

import asyncio
import math
import selectors
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

# Virtual clocks start at a fixed instant so recordings and logs are
# identical run to run (2025-01-01T00:00:00Z).
DEFAULT_EPOCH = 1735689600.0
# How many formatted seconds rfc3339() keeps (a day of virtual time is 86,400).
RFC3339_MEMO = 4096


class Clock(ABC):
    """Time as the engine sees it. Bind it to a loop with :meth:`new_event_loop`."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        # Seconds rfc3339() formatted recently: kubelets stamp thousands of
        # conditions, start times and container states a second, mostly with
        # "now" and the few seconds their pods started at.
        self._rfc3339: dict[int, str] = {}

    @abstractmethod
    def monotonic(self) -> float:
        """Seconds on the loop's timeline (for durations and timers)."""

    @abstractmethod
    def now(self) -> float:
        """Seconds since the Unix epoch, as the cluster believes it is."""

    @abstractmethod
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        """A fresh event loop whose timeline is this clock."""

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("clock is not bound to an event loop yet")
        return self._loop

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def rfc3339(self, at: float | None = None) -> str:
        """``metav1.Time`` formatting: second precision, ``Z`` suffix."""
        second = int(self.now() if at is None else at)
        text = self._rfc3339.get(second)
        if text is None:
            text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if len(self._rfc3339) >= RFC3339_MEMO:
                self._rfc3339 = {}  # a new dict: a reader on another thread keeps the old
            self._rfc3339[second] = text
        return text

    def rfc3339_micro(self, at: float | None = None) -> str:
        """``metav1.MicroTime`` formatting (Leases, events.k8s.io)."""
        stamp = self.now() if at is None else at
        return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    async def sleep(self, seconds: float) -> None:
        """Sleep on the engine loop (its timeline is this clock)."""
        await asyncio.sleep(max(0.0, seconds))

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> asyncio.TimerHandle:
        return self.loop.call_later(max(0.0, delay), callback, *args)

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any) -> asyncio.TimerHandle:
        """Run ``callback`` at monotonic time ``when``."""
        return self.loop.call_at(when, callback, *args)


class _ClockedSelector(selectors.BaseSelector):
    """Delegates I/O to a real selector but lets the clock decide how long an
    idle loop waits (and, for the virtual clock, jump instead of waiting)."""

    def __init__(self, real: selectors.BaseSelector, wait: Callable[[float | None], float | None]):
        self._real = real
        self._wait = wait

    def register(self, fileobj, events, data=None):  # noqa: ANN001, D102
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj):  # noqa: ANN001, D102
        return self._real.unregister(fileobj)

    def modify(self, fileobj, events, data=None):  # noqa: ANN001, D102
        return self._real.modify(fileobj, events, data)

    def select(self, timeout: float | None = None):  # noqa: D102
        if timeout is not None and timeout <= 0:
            return self._real.select(0)
        ready = self._real.select(0)
        if ready:
            return ready
        return self._real.select(self._wait(timeout))

    def close(self) -> None:  # noqa: D102
        self._real.close()

    def get_map(self):  # noqa: D102
        return self._real.get_map()


class _ClockedLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose ``time()`` is the clock's."""

    def __init__(self, clock: Clock, wait: Callable[[float | None], float | None]) -> None:
        self._k9_clock = clock
        super().__init__(_ClockedSelector(selectors.DefaultSelector(), wait))

    def time(self) -> float:
        return self._k9_clock.monotonic()


class RealClock(Clock):
    """Wall-clock time, scaled by ``speed`` (1.0 = real time)."""

    def __init__(self, speed: float = 1.0) -> None:
        super().__init__()
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._wall0 = time.time()
        self._mono0 = time.monotonic()

    def monotonic(self) -> float:
        return (time.monotonic() - self._mono0) * self.speed

    def now(self) -> float:
        return self._wall0 + self.monotonic()

    def _wait(self, timeout: float | None) -> float | None:
        return None if timeout is None else timeout / self.speed

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        self._loop = _ClockedLoop(self, self._wait)
        return self._loop


class VirtualClock(Clock):
    """Deterministic simulated time that jumps to the next timer when idle.

    ``horizon`` caps how far time may run by itself; ``math.inf`` (the default)
    lets it run freely, which is what a test awaiting ``clock.sleep(3600)``
    wants. A driver in another thread moves a capped clock with
    :meth:`advance`, which returns once the engine is idle at the new time.
    """

    def __init__(self, epoch: float = DEFAULT_EPOCH, *, horizon: float = math.inf) -> None:
        super().__init__()
        self._epoch = epoch
        self._now = 0.0
        self._horizon = horizon
        self._idle = threading.Condition()
        self._requested = 0  # advance() calls made by drivers
        self._applied = 0  # the last of them the loop has seen
        self._idle_gen = -1  # the request generation the loop last went idle under

    def monotonic(self) -> float:
        return self._now

    def now(self) -> float:
        return self._epoch + self._now

    @property
    def horizon(self) -> float:
        return self._horizon

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        self._loop = _ClockedLoop(self, self._wait)
        return self._loop

    def _wait(self, timeout: float | None) -> float | None:
        """Called when the loop is idle: jump to the next timer, or block for
        outside input when none is due before the horizon."""
        if timeout is not None and self._now + timeout <= self._horizon:
            self._now += timeout
            return 0
        if timeout is not None and math.isfinite(self._horizon):
            self._now = max(self._now, self._horizon)
        with self._idle:
            self._idle_gen = self._applied
            self._idle.notify_all()
        # Nothing can happen before a driver raises the horizon or hands the
        # loop work from another thread; both wake the real selector.
        return None

    def _extend_horizon(self, seconds: float, generation: int) -> None:
        """On the loop: the horizon moves ``seconds`` past where it is *now*, so
        advances requested by several threads at once add up and a concurrent
        ``settle()`` (``advance(0)``) can never pull it back."""
        base = self._horizon if math.isfinite(self._horizon) else self._now
        self._horizon = max(base + seconds, self._now)
        self._applied = generation

    def advance(self, seconds: float, *, timeout: float | None = None) -> float:
        """From another thread: let ``seconds`` of simulated time pass, then
        wait until the engine is idle at the new time. Returns that time."""
        if seconds < 0:
            raise ValueError("cannot advance by a negative duration")
        with self._idle:
            self._requested += 1
            generation = self._requested
        self.loop.call_soon_threadsafe(self._extend_horizon, seconds, generation)
        with self._idle:
            ok = self._idle.wait_for(lambda: self._idle_gen >= generation, timeout=timeout)
        if not ok:
            raise TimeoutError("the engine did not become idle in time")
        return self._now

    def settle(self, *, timeout: float | None = None) -> None:
        """From another thread: wait until everything due now has run."""
        self.advance(0, timeout=timeout)
