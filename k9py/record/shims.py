"""The k9py pieces that read the wall clock or poll on their own threads, put on
the recorder's simulated clock for the length of one recording.

* The describe/YAML views throttle live refreshes with ``time.monotonic()``.
* The metrics poller (``k9py.model.metrics``, when this build has it) polls on a
  daemon thread every refresh interval of wall time, and backs pod readings off
  by wall time. Here it starts no thread: the recorder polls it on simulated
  time (every interval, and at once when the pod scope changes), from a helper
  thread it awaits, so its results land at settled points and its API calls
  never run while the recorder moves the clock.

Each patch is undone on exit; a piece missing from this build is skipped.
"""

from __future__ import annotations

import asyncio
import importlib
import types
from collections.abc import Callable
from typing import Any

_UNPOLLED = object()


class WallClockShims:
    """Context manager: simulated time for k9py's wall-clock readers and pollers."""

    def __init__(self, now: Callable[[], float], timers: Any) -> None:
        self.now = now
        self.timers = timers
        self.pollers: list[Any] = []
        self._scopes: dict[int, Any] = {}
        self._undo: list[tuple[Any, str, Any]] = []

    def _swap(self, owner: Any, name: str, value: Any) -> None:
        self._undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def __enter__(self) -> WallClockShims:
        clock = types.SimpleNamespace(monotonic=self.now, perf_counter=self.now)
        text_views = _optional("k9py.views.text")
        if text_views is not None and hasattr(text_views, "time"):
            self._swap(text_views, "time", clock)
        metrics = _optional("k9py.model.metrics")
        poller_cls = getattr(metrics, "MetricsPoller", None)
        if poller_cls is not None:
            self._swap(metrics, "time", clock)
            shims = self

            def start(poller: Any) -> Any:
                shims._adopt(poller)
                return poller

            self._swap(poller_cls, "start", start)
        return self

    def __exit__(self, *exc: object) -> None:
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


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:
            raise
        return None
