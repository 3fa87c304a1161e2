"""Run a scenario: a fresh embedded cluster on a virtual clock, the TUI headless,
each step executed, each settled screen captured into an asciicast.

Determinism comes from one rule: simulated time moves only when the recorder
advances it, and a frame is captured only once everything has settled at that
time -- the engine idle, the watch threads done listing, the app's workers
finished, its watch queues pumped, Textual idle, and two renders in a row
equal. Cast times are the simulated seconds that passed during shown steps.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from k9py.record.asciicast import Cast, write_atomic
from k9py.record.frames import CSI, Frame, diff, render, screen_strips, with_caption
from k9py.record.scenario import (
    Apply,
    Caption,
    ClusterAction,
    Hide,
    Press,
    Scenario,
    Screenshot,
    Show,
    Sleep,
    Step,
    Type,
    Vocabulary,
    Wait,
    load_scenario,
)
from k9py.record.shims import WallClockShims, plain_filters, recording_environment
from k9py.record.ui import UIStuck, drain_messages, press_key

FRAME_STEP = 0.5  # simulated seconds between frames while sleeping or waiting
PRESS_GAP = 0.3  # simulated seconds after each pressed key
CAPTION_SECONDS = 3.0  # how long a caption stays on screen
SETTLE_ROUNDS = 60
BUSY_TIMEOUT = 30.0  # wall seconds a watch thread or worker may take


class RecordError(Exception):
    """A step failed while recording (the message names the step and its line)."""


@dataclass
class Recording:
    """The result of a run: the cast, the SVGs asked for, the last screen's text."""

    cast: Cast
    final_text: str
    screenshots: dict[str, str] = field(default_factory=dict)
    wall_seconds: float = 0.0


def boot_cluster(nodes: int) -> Any:
    """A fresh cluster on a capped virtual clock (as k9py.embedded boots one, minus
    the wall-clock driver thread: here the recorder alone moves time)."""
    from engine.cluster import Cluster, ClusterConfig

    return Cluster(ClusterConfig(virtual=True, workers=max(0, nodes - 1),
                                 gc_profile="interactive")).start()


class Runner:
    """Executes the steps of one scenario against a running app and cluster."""

    def __init__(self, scenario: Scenario, cluster: Any, session: Any, app: Any,
                 pilot: Any, shims: WallClockShims, log: Callable[[str], None]) -> None:
        self.scenario, self.cluster, self.session = scenario, cluster, session
        self.app, self.pilot, self.shims, self.log = app, pilot, shims, log
        self.cast = Cast(scenario.width, scenario.height, title=scenario.title,
                         idle_time_limit=scenario.idle_time_limit)
        self.shown = True
        self.time = 0.0  # cast time: simulated seconds during shown steps
        self.emitted: Frame | None = None  # what the cast's terminal shows
        self.screen: Frame | None = None  # the app's last settled screen (no caption)
        self.caption: tuple[str, float] | None = None
        self.screenshots: dict[str, str] = {}

    def vnow(self) -> float:
        return self.cluster.clock.monotonic()

    # -- settling and frames ---------------------------------------------------------------
    def _busy(self) -> bool:
        return self._threads_busy() or bool(getattr(getattr(self.app.top, "model", None),
                                                    "backlog", 0))

    def _threads_busy(self) -> bool:
        """A watch thread still listing, or a worker running that is not asleep on
        simulated time (a drain waiting for its pods to go)."""
        if any(t.name.startswith("k9py-watch-") and t.is_alive()
               for t in threading.enumerate()):
            return True
        running = sum(1 for w in self.app.workers if not w.is_finished)
        return running > self.shims.sleeper.idle()

    async def _wait_threads(self) -> None:
        deadline = time.monotonic() + BUSY_TIMEOUT
        while self._threads_busy():
            if time.monotonic() > deadline:
                raise UIStuck("the UI's watch threads or workers did not finish in "
                              f"{BUSY_TIMEOUT:g}s")
            await asyncio.sleep(0.001)

    def _pump(self) -> None:
        for _ in range(1000):
            self.app._pump()  # noqa: SLF001 - the recorder is the app's ticker
            model = getattr(self.app.top, "model", None)
            if not getattr(model, "backlog", 0):
                return

    async def _ui_idle(self) -> None:
        """Textual has handled every message queued so far, on every visible screen
        (a dialog's background too), and laid them out. Pilot.pause covers only the
        top screen, and sleeps 20 ms or more to guess at idleness; here the repeated
        renders in :meth:`settle` decide when the screen is still."""
        app = self.app
        await drain_messages(app)
        await asyncio.sleep(0)
        for screen in [*app._background_screens, app.screen]:  # noqa: SLF001
            screen._on_timer_update()  # noqa: SLF001 - what Pilot.pause ends with
        await drain_messages(app)

    async def settle(self) -> Frame:
        """The screen once the engine, the watches, the workers and Textual are idle."""
        previous: Frame | None = None
        for _ in range(SETTLE_ROUNDS):
            await self._wait_threads()
            self.cluster.settle()
            await self.shims.poll_changed()
            self._pump()
            await self._ui_idle()
            frame = render(screen_strips(self.app))
            if frame == previous and not self._busy():
                self.screen = frame
                return frame
            previous = frame
        # Something keeps changing the screen without simulated time moving: a
        # wall-clock timer this recorder does not know (see shims.py). Recording
        # on would give different bytes run to run.
        raise UIStuck(f"the screen did not settle after {SETTLE_ROUNDS} rounds (a wall-clock "
                      "timer or poller the recorder does not drive?)")

    async def frame(self) -> Frame:
        """Settle, then write the changed rows to the cast (when shown)."""
        screen = await self.settle()
        if self.caption is not None and self.vnow() >= self.caption[1]:
            self.caption = None
        shown = screen
        if self.caption is not None:
            strips = with_caption(screen_strips(self.app), self.caption[0], self.scenario.width)
            shown = render(strips)
        if self.shown:
            self.cast.output(self.time, diff(self.emitted, shown))
            self.emitted = shown
        return screen

    async def advance(self, seconds: float) -> None:
        """Let simulated time pass in frame steps, firing timers, capturing frames."""
        remaining = seconds
        while remaining > 1e-9:
            step = min(FRAME_STEP, remaining)
            self._advance_clock(step)
            self.shims.sleeper.wake()
            remaining -= step
            if self.shown:
                self.time += step
            await self.app.timers.fire_due()
            await self.frame()

    def _advance_clock(self, seconds: float) -> None:
        """Move the engine's horizon by ``seconds``, on the UI thread and blocking it,
        so no repaint sees a time in between (``VirtualClock.advance`` adds up with a
        concurrent ``settle()`` from another thread, never losing time to it)."""
        self.cluster.advance(seconds)

    # -- steps ---------------------------------------------------------------------------------
    async def run(self) -> None:
        try:
            await self.frame()
        except UIStuck as err:
            raise RecordError(f"{self.scenario.path}: starting k9py: {err}") from None
        steps = self.scenario.steps
        for number, step in enumerate(steps, start=1):
            self.log(f"{step.where()}")
            try:
                await self.step(step)
            except UIStuck as err:
                raise RecordError(f"{step.where()}: {err}") from None
            if self.exited:
                self._check_exit(step, len(steps) - number)
                break
        else:
            self.caption = None
            try:
                await self.frame()
            except UIStuck as err:
                raise RecordError(f"{self.scenario.path}: after the last step: {err}") \
                    from None
        if self.cast.events and self.cast.duration < self.time:
            # Hold the last screen for the trailing time (a final sleep): players
            # stop at the last event. Re-hiding the cursor changes nothing on screen.
            self.cast.output(self.time, f"{CSI}?25l")

    @property
    def exited(self) -> bool:
        return self.app.return_code is not None

    def _check_exit(self, step: Step, left: int) -> None:
        errors = getattr(self.app, "internal_errors", None)
        if self.app.return_code != 0 and errors:
            err = errors[-1]
            raise RecordError(f"{step.where()}: k9py stopped on an internal error: "
                              f"{type(err).__name__}: {err}")
        if left:
            raise RecordError(f"{step.where()}: k9py quit here, and {left} step(s) "
                              "after it cannot run")

    async def step(self, step: Step) -> None:
        if isinstance(step, Hide):
            self.shown = False
        elif isinstance(step, Show):
            self.shown = True
            await self.frame()
        elif isinstance(step, Press):
            for _ in range(step.count):
                for key in step.keys:
                    await self._key(key, PRESS_GAP)
        elif isinstance(step, Type):
            for char in step.text:
                await self._key(char, step.speed)
        elif isinstance(step, Sleep):
            await self.advance(step.seconds)
        elif isinstance(step, Wait):
            await self._wait(step)
        elif isinstance(step, Caption):
            if self.shown:
                self.cast.marker(self.time, step.text)
            self.caption = (step.text, self.vnow() + CAPTION_SECONDS)
            await self.frame()
        elif isinstance(step, Screenshot):
            await self.settle()
            self.screenshots[step.name] = self.app.export_screenshot(title=self.scenario.title)
        elif isinstance(step, Apply | ClusterAction):
            await self._act(step)
        else:  # pragma: no cover - the parser knows every step
            raise RecordError(f"{step.where()}: cannot run this step")

    async def _key(self, key: str, gap: float) -> None:
        if self.exited:
            return
        press_key(self.app, key)
        await drain_messages(self.app)
        if self.exited:
            return
        await self.frame()
        await self.advance(gap)

    async def _act(self, step: Apply | ClusterAction) -> None:
        action = step.action
        try:
            await asyncio.to_thread(action.run, self.session)
        except Exception as err:
            from k9py.client import error_text

            text = str(err)  # apply's own message names the apply
            if not text.startswith(action.describe()):
                text = f"{action.describe()} failed: {error_text(err)}"
            raise RecordError(f"{step.where()}: {text}") from err
        await self.frame()

    async def _wait(self, step: Wait) -> None:
        deadline = self.vnow() + step.timeout
        while True:
            screen = self.screen or await self.settle()
            if self._holds(step, screen):
                return
            left = deadline - self.vnow()
            if left <= 1e-9:
                raise RecordError(f"{step.where()}: timed out after {step.timeout:g}s "
                                  f"(simulated) waiting for {step.describe()}")
            await self.advance(min(FRAME_STEP, left))

    def _holds(self, step: Wait, screen: Frame) -> bool:
        if step.screen is not None:
            return step.screen in screen.screen_text()
        try:
            return bool(step.condition.check(self.session.client))
        except Exception as err:
            raise RecordError(f"{step.where()}: checking {step.describe()} failed: "
                              f"{type(err).__name__}: {err}") from err


async def run_scenario(scenario: Scenario, log: Callable[[str], None] | None = None
                       ) -> Recording:
    """Boot a cluster, run the app headless through the steps, return the recording."""
    with recording_environment():
        return await _run_scenario(scenario, log or (lambda _msg: None))


async def _run_scenario(scenario: Scenario, log: Callable[[str], None]) -> Recording:
    from k9py.config import Config
    from k9py.embedded import session_for
    from k9py.record.recording_app import RecordingApp, VirtualTimers, virtual_timers

    started = time.perf_counter()
    cluster = boot_cluster(scenario.nodes)
    try:
        session = session_for(cluster)
        timers = VirtualTimers(now=cluster.clock.monotonic)
        app = RecordingApp(session, config=Config(), theme=scenario.theme, command="pods",
                           timers=timers)
        app.animation_level = "none"
        plain_filters(app)
        size = (scenario.width, scenario.height)
        with WallClockShims(cluster.clock.monotonic, timers) as shims, virtual_timers(app):
            async with app.run_test(headless=True, size=size) as pilot:
                runner = Runner(scenario, cluster, session, app, pilot, shims, log)
                await runner.run()
                final = runner.screen.screen_text() if runner.screen else ""
                recording = Recording(runner.cast, final, dict(runner.screenshots))
                app.shutdown_views()
    finally:
        cluster.stop()
    recording.wall_seconds = time.perf_counter() - started
    return recording


def record(scenario_path: Path | str, out: Path | str, *, svg_dir: Path | str | None = None,
           vocab: Vocabulary | None = None,
           log: Callable[[str], None] | None = None) -> Recording:
    """Parse (all errors before anything runs), record, then write the cast and the
    SVGs -- only once the whole scenario succeeded, each file atomically."""
    log = log or (lambda _msg: None)
    with recording_environment():
        scenario = load_scenario(scenario_path, vocab)
        recording = asyncio.run(run_scenario(scenario, log))
    if recording.screenshots and svg_dir is None:
        log(f"screenshots skipped (no --svg-dir): {', '.join(recording.screenshots)}")
    elif svg_dir is not None:
        for name, svg in recording.screenshots.items():
            write_atomic(Path(svg_dir) / name, svg)
    write_atomic(Path(out), recording.cast.dumps())
    return recording
