"""K9pyApp on the recorder's clock: its timers fire on simulated time, never the wall's.

k9py's own timers (the app's ticker, the flash line's clear-after, dialogs'
refreshes), each screen's repaint timer and widgets' visual effects (a button's
press flash, cursor blink) are wall-clock Textual timers. In a recording they
would fire depending on how fast the machine is, so :func:`virtual_timers`
hands them to :class:`VirtualTimers`, which the recorder fires after each step
of simulated time (and it repaints the screens itself whenever it settles). The
30 Hz pump is not scheduled at all: the recorder calls it whenever it settles.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import math
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from textual._context import active_app
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

from k9py.app import K9pyApp


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
    node: Any = None  # weakref to the DOM node that set it: once it is closed, it stops

    def live(self) -> bool:
        if self.node is None:
            return True
        node = self.node()
        return node is not None and not getattr(node, "_closed", False)

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
                  name: str | None = None, pause: bool = False,
                  owner: Any = None) -> VirtualTimer:
        return self._add(delay, None, callback, pause, owner)

    def set_interval(self, interval: float, callback: Callable[[], Any] | None = None, *,
                     name: str | None = None, repeat: int = 0, pause: bool = False,
                     owner: Any = None) -> VirtualTimer:
        return self._add(interval, interval, callback, pause, owner)

    def _add(self, delay: float, interval: float | None, callback: Callable[[], Any] | None,
             pause: bool, owner: Any) -> VirtualTimer:
        self._seq += 1
        timer = VirtualTimer(self, self.now() + max(0.0, delay), interval, callback,
                             self._seq, paused=pause,
                             node=None if owner is None else weakref.ref(owner))
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
            if not timer.live():
                timer.active = False
                continue
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
    """The k9py app with its timers on :class:`VirtualTimers` (inside
    :func:`virtual_timers`) and no skin file watcher."""

    def __init__(self, *args: Any, timers: VirtualTimers, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timers = timers

    def set_interval(self, interval: float, callback: Any = None, *, name: str | None = None,
                     repeat: int = 0, pause: bool = False) -> Any:
        if callback == self._pump:  # the recorder pumps whenever it settles the UI
            return self.timers.set_interval(interval, None, pause=True)
        return super().set_interval(interval, callback, name=name, repeat=repeat, pause=pause)

    def _watch_theme_files(self) -> None:  # type: ignore[override]
        """No skin hot-reload while recording (it is a wall-clock file watcher)."""


def goes_virtual(node: Any, callback: Any) -> bool:
    """Which timers run on simulated time: k9py's own callbacks (the ticker, the
    flash line's timeout, dialogs' refreshes), a screen's repaint timer, and the
    visual effects widgets schedule for themselves (a Button's 0.2 s press flash,
    cursor blink, a toast's timeout, ``auto_refresh``). Textual's plumbing (resize
    checks, tooltips, ``delay_update``) stays on the wall clock: it changes no
    pixels a recording could catch at a different moment."""
    func = callback
    while isinstance(func, functools.partial):
        func = func.func
    if is_k9py(func):
        return True
    owner = getattr(func, "__self__", None)
    if isinstance(owner, Screen):
        return func == owner._on_timer_update  # noqa: SLF001
    return isinstance(owner, Widget)


@contextlib.contextmanager
def virtual_timers(app: RecordingApp) -> Iterator[None]:
    """For the length of a recording, ``set_timer``/``set_interval`` of ``app``'s
    nodes (widgets made before they mount included) hand the timers chosen by
    :func:`goes_virtual` to ``app.timers``: Textual would otherwise fire them,
    and render, whenever its wall-clock timers happen to fire."""
    real_timer, real_interval = MessagePump.set_timer, MessagePump.set_interval
    timers = app.timers

    def mine(node: Any, callback: Any) -> bool:
        return active_app.get(None) is app and goes_virtual(node, callback)

    def set_timer(node: Any, delay: float, callback: Any = None, *, name: str | None = None,
                  pause: bool = False) -> Any:
        if mine(node, callback):
            return timers.set_timer(delay, callback, name=name, pause=pause, owner=node)
        return real_timer(node, delay, callback, name=name, pause=pause)

    def set_interval(node: Any, interval: float, callback: Any = None, *,
                     name: str | None = None, repeat: int = 0, pause: bool = False) -> Any:
        if mine(node, callback):
            return timers.set_interval(interval, callback, name=name, repeat=repeat,
                                       pause=pause, owner=node)
        return real_interval(node, interval, callback, name=name, repeat=repeat, pause=pause)

    MessagePump.set_timer = set_timer  # type: ignore[method-assign]
    MessagePump.set_interval = set_interval  # type: ignore[method-assign]
    try:
        yield
    finally:
        MessagePump.set_timer = real_timer  # type: ignore[method-assign]
        MessagePump.set_interval = real_interval  # type: ignore[method-assign]


def is_k9py(callback: Any) -> bool:
    """A callback defined in k9py (a bound method's function counts where it was defined)."""
    func = getattr(callback, "__func__", callback)
    return str(getattr(func, "__module__", "") or "").startswith("k9py.")
