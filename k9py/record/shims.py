"""The k9py pieces that read the wall clock or poll on their own threads, put on
the recorder's simulated clock for the length of one recording.

* The describe/YAML views throttle live refreshes with ``time.monotonic()``.
* The node drain (``k9py.ops.nodes.drain``) polls for evicted pods with
  ``time.sleep``/``time.monotonic`` on a worker thread: here it sleeps on
  simulated time (:class:`VirtualSleep`), and a worker asleep that way counts
  as idle, so the recorder can move the clock that lets the pods go.
* The metrics poller (``k9py.model.metrics``, when this build has it) polls on a
  daemon thread every refresh interval of wall time, and backs pod readings off
  by wall time. Here it starts no thread: the recorder polls it on simulated
  time (every interval, and at once when the pod scope changes), from a helper
  thread it awaits, so its results land at settled points and its API calls
  never run while the recorder moves the clock.

Each patch is undone on exit; a piece missing from this build is skipped.
:func:`recording_environment` keeps the recorder's process environment from
changing the picture: no ``NO_COLOR`` (Textual would go monochrome) and no
user config directory (skins, aliases, favourites).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import tempfile
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any

from k9py.record.optional import optional_module

_UNPOLLED = object()


@contextlib.contextmanager
def recording_environment() -> Iterator[None]:
    """An empty k9py config directory and no ``NO_COLOR`` while recording (nested
    uses are fine: each restores what it found)."""
    saved = {name: os.environ.get(name) for name in ("K9PY_CONFIG_DIR", "NO_COLOR")}
    with tempfile.TemporaryDirectory(prefix="k9py-record-") as config:
        os.environ["K9PY_CONFIG_DIR"] = config
        os.environ.pop("NO_COLOR", None)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def plain_filters(app: Any) -> None:
    """Only the ANSI-to-truecolor line filter: ``TEXTUAL_FILTERS=dim`` (read when
    Textual is imported) must not dim a recording."""
    app._filters = [f for f in app._filters  # noqa: SLF001
                    if type(f).__name__ == "ANSIToTruecolor"]


class WallClockShims:
    """Context manager: simulated time for k9py's wall-clock readers and pollers."""

    def __init__(self, now: Callable[[], float], timers: Any) -> None:
        self.now = now
        self.timers = timers
        self.pollers: list[Any] = []
        self._scopes: dict[int, Any] = {}
        self._undo: list[tuple[Any, str, Any]] = []
        self.sleeper = VirtualSleep(now)

    def _swap(self, owner: Any, name: str, value: Any) -> None:
        self._undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def __enter__(self) -> WallClockShims:
        clock = types.SimpleNamespace(monotonic=self.now, perf_counter=self.now)
        text_views = optional_module("k9py.views.text")
        if text_views is not None and hasattr(text_views, "time"):
            self._swap(text_views, "time", clock)
        metrics = optional_module("k9py.model.metrics")
        poller_cls = getattr(metrics, "MetricsPoller", None)
        if poller_cls is not None:
            self._swap(metrics, "time", clock)
            shims = self

            def start(poller: Any) -> Any:
                shims._adopt(poller)
                return poller

            self._swap(poller_cls, "start", start)
        nodes = optional_module("k9py.ops.nodes")
        drain = getattr(nodes, "drain", None)
        if drain is not None and drain.__defaults__:
            names = [p.name for p in inspect.signature(drain).parameters.values()
                     if p.default is not inspect.Parameter.empty]
            given = {"sleep": self.sleeper.sleep, "clock": self.now}
            self._swap(drain, "__defaults__", tuple(
                given.get(name, value) for name, value in zip(names, drain.__defaults__,
                                                              strict=True)))
        return self

    def __exit__(self, *exc: object) -> None:
        self.sleeper.wake(close=True)
        while self._undo:
            owner, name, value = self._undo.pop()
            setattr(owner, name, value)

    def _adopt(self, poller: Any) -> None:
        self.pollers.append(poller)
        self._scopes[id(poller)] = _UNPOLLED  # the thread would poll at once
        interval = float(getattr(poller, "interval", 1.0) or 1.0)

        async def tick() -> None:
            await self._poll(poller)

        self.timers.set_interval(interval, tick)

    def _live(self, poller: Any) -> bool:
        return poller in self.pollers and not getattr(poller, "_stopped", False)

    async def _poll(self, poller: Any) -> None:
        if not self._live(poller):
            return
        self._scopes[id(poller)] = getattr(poller, "pod_scope", None)
        await asyncio.to_thread(poller.poll_once)

    async def poll_changed(self) -> bool:
        """Poll the pollers never polled or whose pod scope changed; True if any."""
        polled = False
        for poller in list(self.pollers):
            if not self._live(poller):
                self.pollers.remove(poller)
                continue
            if self._scopes.get(id(poller)) != getattr(poller, "pod_scope", None):
                await self._poll(poller)
                polled = True
        return polled


class VirtualSleep:
    """``time.sleep`` for worker threads, on simulated time: returns once the
    recorder has moved the clock past the wake-up time and called :meth:`wake`."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self._cond = threading.Condition()
        self._until: dict[int, float] = {}  # sleeping thread -> when it wakes
        self.closed = False  # the recording ended: sleepers return at once

    def sleep(self, seconds: float) -> None:
        me = threading.get_ident()
        with self._cond:
            self._until[me] = self.now() + max(0.0, seconds)
            try:
                while not self.closed and self.now() < self._until[me] - 1e-9:
                    self._cond.wait()
            finally:
                del self._until[me]

    def wake(self, *, close: bool = False) -> None:
        with self._cond:
            self.closed = self.closed or close
            self._cond.notify_all()

    def idle(self) -> int:
        """Threads asleep and not yet due (due ones are about to run: busy)."""
        now = self.now()
        with self._cond:
            return sum(1 for until in self._until.values() if until > now + 1e-9)
