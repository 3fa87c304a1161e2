"""K9pyApp on the recorder's clock: its timers fire on simulated time, never the wall's.

k9py's own timers (the app's ticker, the flash line's clear-after, dialogs'
refreshes) and each screen's refresh timer are wall-clock Textual timers. In a
recording they would fire depending on how fast the machine is, so
:class:`RecordingApp` hands them to :class:`VirtualTimers`, which the recorder
fires after each step of simulated time (and it repaints the screens itself
whenever it settles). The 30 Hz pump is not scheduled at all: the recorder
calls it whenever it settles the UI. Textual's other timers are left alone
(k9py's inputs do not blink; animations are off).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.screen import Screen

from k9py.app import K9pyApp
from k9py.widgets.chrome import Flash


@dataclass(eq=False)
class VirtualTimer:
    """What ``set_timer``/``set_interval`` return, on simulated time."""

    owner: VirtualTimers
    due: float
    interval: float | None
    callback: Callable[[], Any] | None
    seq: int
    active: bool = True
    paused: bool = False

    def stop(self) -> None:
        self.active = False

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def reset(self) -> None:
        self.due = self.owner.now() + (self.interval or 0.0)


@dataclass
class VirtualTimers:
    """Timers on ``now()`` (simulated seconds), fired by :meth:`fire_due`."""

    now: Callable[[], float]
    timers: list[VirtualTimer] = field(default_factory=list)
    _seq: int = 0

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None, *,
                  name: str | None = None, pause: bool = False) -> VirtualTimer:
        return self._add(delay, None, callback, pause)

    def set_interval(self, interval: float, callback: Callable[[], Any] | None = None, *,
                     name: str | None = None, repeat: int = 0,
                     pause: bool = False) -> VirtualTimer:
        return self._add(interval, interval, callback, pause)

    def _add(self, delay: float, interval: float | None, callback: Callable[[], Any] | None,
             pause: bool) -> VirtualTimer:
        self._seq += 1
        timer = VirtualTimer(self, self.now() + max(0.0, delay), interval, callback,
                             self._seq, paused=pause)
        self.timers.append(timer)
        return timer

    def next_due(self) -> float:
        live = [t.due for t in self.timers if t.active and not t.paused]
        return min(live) if live else math.inf

    async def fire_due(self) -> int:
        """Run every timer due by now, in (due, creation) order; an interval fires
        at most once per call (missed ticks are skipped, as Textual's are)."""
        now = self.now()
        due = sorted((t for t in self.timers if t.active and not t.paused and t.due <= now),
                     key=lambda t: (t.due, t.seq))
        for timer in due:
            if timer.interval:
                periods = math.floor((now - timer.due) / timer.interval) + 1
                timer.due += periods * timer.interval
            else:
                timer.active = False
            if timer.callback is not None:
                result = timer.callback()
                if inspect.isawaitable(result):
                    await result
        self.timers = [t for t in self.timers if t.active]
        return len(due)


class RecordingApp(K9pyApp):
    """The k9py app with its timers on :class:`VirtualTimers` and no file watcher."""

    def __init__(self, *args: Any, timers: VirtualTimers, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timers = timers

    def set_interval(self, interval: float, callback: Any = None, *, name: str | None = None,
                     repeat: int = 0, pause: bool = False) -> Any:
        if callback == self._pump:  # the recorder pumps whenever it settles the UI
            return self.timers.set_interval(interval, None, pause=True)
        if is_k9py(callback):
            return self.timers.set_interval(interval, callback, name=name, repeat=repeat,
                                            pause=pause)
        return super().set_interval(interval, callback, name=name, repeat=repeat, pause=pause)

    def on_mount(self) -> None:
        super().on_mount()
        self.virtualize(self.query_one(Flash))

    def _watch_theme_files(self) -> None:  # type: ignore[override]
        """No skin hot-reload while recording (it is a wall-clock file watcher)."""

    def get_default_screen(self) -> Screen:
        screen = super().get_default_screen()
        self.virtualize(screen)
        return screen

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(screen, Screen):
            self.virtualize(screen)
        return super().push_screen(screen, *args, **kwargs)

    def virtualize(self, node: Any) -> None:
        """The timers ``node`` sets for k9py's own callbacks run on simulated time,
        and so does a screen's refresh timer: Textual would otherwise render (and
        cache widgets' lines, such as a DataTable's header) whenever its 60 fps
        wall-clock timer fired; now rendering happens only when the recorder
        settles. Textual's other timers stay as they are."""
        real_timer, real_interval = node.set_timer, node.set_interval
        timers = self.timers
        repaint = getattr(node, "_on_timer_update", None) if isinstance(node, Screen) else None

        def set_timer(delay: float, callback: Any = None, *, name: str | None = None,
                      pause: bool = False) -> Any:
            if is_k9py(callback):
                return timers.set_timer(delay, callback, name=name, pause=pause)
            return real_timer(delay, callback, name=name, pause=pause)

        def set_interval(interval: float, callback: Any = None, *, name: str | None = None,
                         repeat: int = 0, pause: bool = False) -> Any:
            if is_k9py(callback) or (repaint is not None and callback == repaint):
                return timers.set_interval(interval, callback, name=name, repeat=repeat,
                                           pause=pause)
            return real_interval(interval, callback, name=name, repeat=repeat, pause=pause)

        node.set_timer = set_timer
        node.set_interval = set_interval


def is_k9py(callback: Any) -> bool:
    """A callback defined in k9py (a bound method's function counts where it was defined)."""
    func = getattr(callback, "__func__", callback)
    return str(getattr(func, "__module__", "") or "").startswith("k9py.")
