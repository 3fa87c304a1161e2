"""The recorder's parts without a cluster: row diffs, captions, virtual timers."""

from __future__ import annotations

import asyncio

import pyte
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from k9py.record.frames import Frame, diff, render, with_caption
from k9py.record.recording_app import VirtualTimers, is_k9py


def strips(*rows: str) -> list[Strip]:
    red = Style.parse("bold #ff0000 on #000000")
    return [Strip([Segment(row[:2], red), Segment(row[2:])], len(row)) for row in rows]


def replay(width: int, height: int, *chunks: str) -> list[str]:
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    return [line.rstrip() for line in screen.display]


def test_frames_render_truecolor_and_only_changed_rows_are_written() -> None:
    first = render(strips("hello     ", "world     ", "          "))
    assert first.rows[0].startswith("\x1b[0;1;38;2;255;0;0;48;2;0;0;0mhe\x1b[0mllo")
    assert first.text == ("hello     ", "world     ", "          ")
    second = render(strips("hello     ", "there     ", "          "))
    out = diff(first, second)
    assert out.startswith("\x1b[2;1H") and "\x1b[1;1H" not in out and "\x1b[3;1H" not in out
    assert diff(second, second) == ""
    assert replay(10, 3, diff(None, first), out) == ["hello", "there", ""]


def test_a_full_width_last_row_does_not_scroll_the_terminal() -> None:
    frame = render(strips("aaaa", "bbbb", "cccc"))
    assert replay(4, 3, diff(None, frame)) == ["aaaa", "bbbb", "cccc"]


def test_captions_sit_centred_four_rows_from_the_bottom() -> None:
    rows = strips(*(["." * 20] * 6))
    shown = render(with_caption(rows, "Hi", 20))
    assert shown.text[2] == "." * 7 + "  Hi  " + "." * 7
    assert [t for i, t in enumerate(shown.text) if i != 2] == ["." * 20] * 5
    assert with_caption(rows, None, 20) is rows
    assert Frame(("a",), ("a ",)).screen_text() == "a"


def test_virtual_timers_fire_in_order_and_skip_missed_ticks() -> None:
    now = [0.0]
    timers = VirtualTimers(now=lambda: now[0])
    fired: list[str] = []
    timers.set_interval(1.0, lambda: fired.append("tick"))
    once = timers.set_timer(0.5, lambda: fired.append("once"))
    stopped = timers.set_timer(0.2, lambda: fired.append("never"))
    stopped.stop()
    paused = timers.set_interval(0.1, lambda: fired.append("paused"), pause=True)

    async def at(t: float) -> None:
        now[0] = t
        await timers.fire_due()

    asyncio.run(at(0.6))
    assert fired == ["once"]
    asyncio.run(at(3.5))  # three ticks missed: one fires
    assert fired == ["once", "tick"]
    asyncio.run(at(3.9))
    assert fired == ["once", "tick"]
    asyncio.run(at(4.0))
    assert fired == ["once", "tick", "tick"]
    assert not once.active and paused.paused and timers.next_due() == 5.0


def test_only_k9py_callbacks_go_virtual() -> None:
    from k9py.widgets.chrome import Flash

    assert is_k9py(Flash.clear)
    assert not is_k9py(asyncio.sleep) and not is_k9py(None)


def test_virtual_sleep_returns_once_the_clock_has_moved() -> None:
    import threading

    from k9py.record.shims import VirtualSleep

    now = [0.0]
    sleeper = VirtualSleep(lambda: now[0])
    woke = threading.Event()

    def worker() -> None:
        sleeper.sleep(0.25)
        woke.set()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    for _ in range(200):
        if sleeper.idle() == 1:
            break
        woke.wait(0.01)
    assert sleeper.idle() == 1 and not woke.is_set()
    now[0] = 0.1
    sleeper.wake()
    assert not woke.wait(0.05) and sleeper.idle() == 1
    now[0] = 0.25
    assert sleeper.idle() == 0  # due: busy until it has run
    sleeper.wake()
    assert woke.wait(2)
    thread.join(2)
    sleeper.wake(close=True)
    sleeper.sleep(10)  # after the recording: returns at once


def test_widgets_visual_effects_and_screen_repaints_go_virtual() -> None:
    import functools

    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Button

    from k9py.record.recording_app import goes_virtual

    button, screen = Button("ok"), Screen()
    assert goes_virtual(button, functools.partial(button.remove_class, "-active"))
    assert goes_virtual(screen, screen._on_timer_update)
    assert not goes_virtual(screen, screen.refresh)  # a screen's other timers: tooltips
    assert not goes_virtual(App(), App().exit)  # Textual's plumbing: resize checks
    assert not goes_virtual(button, lambda: None)
