"""The app's screen as terminal output, rendered by the recorder itself.

Textual's own driver writes whatever its 60 fps timer happens to catch, so its
byte stream depends on wall-clock timing. The recorder instead renders the
composed screen at the moments it chooses (after the engine and the UI have
settled) into truecolor ANSI rows, and writes only the rows that changed since
the last frame: the same screen always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

CSI = "\x1b["
START = f"{CSI}?25l{CSI}0m{CSI}H{CSI}2J"  # cursor hidden, screen cleared
CAPTION_STYLE = Style.parse("bold #1b1b1b on #ffd75f")


@dataclass(frozen=True)
class Frame:
    """One screen: ANSI per row (for the cast) and plain text per row (for checks)."""

    rows: tuple[str, ...]
    text: tuple[str, ...]

    def screen_text(self) -> str:
        return "\n".join(line.rstrip() for line in self.text)


def screen_strips(app: Any) -> list[Strip]:
    """The active screen as Textual composes it (dialogs over their background)."""
    from textual._context import visible_screen_stack

    visible_screen_stack.set(list(app._background_screens))  # noqa: SLF001 - as export_screenshot
    return app.screen._compositor.render_strips()  # noqa: SLF001


def with_caption(strips: list[Strip], caption: str | None, width: int) -> list[Strip]:
    """A caption drawn over the screen, centred four rows from the bottom."""
    if not caption or len(strips) < 5:
        return strips
    text = f"  {caption}  "[:width]
    left = max(0, (width - len(text)) // 2)
    row = len(strips) - 4
    band = Strip([Segment(text, CAPTION_STYLE)], len(text))
    base = strips[row]
    joined = Strip.join([base.crop(0, left), band, base.crop(left + len(text), width)])
    return [*strips[:row], joined, *strips[row + 1:]]


def _sgr(style: Style | None, cache: dict[Style | None, str]) -> str:
    code = cache.get(style)
    if code is None:
        codes = style._make_ansi_codes(ColorSystem.TRUECOLOR) if style else ""  # noqa: SLF001
        code = f"{CSI}0;{codes}m" if codes else f"{CSI}0m"
        cache[style] = code
    return code


def render(strips: list[Strip]) -> Frame:
    """Each row as one SGR run per style change, ending with a reset."""
    cache: dict[Style | None, str] = {}
    rows, text = [], []
    for strip in strips:
        parts, plain, current = [], [], None
        for seg in strip:
            if seg.control:
                continue
            code = _sgr(seg.style or None, cache)
            if code != current:
                parts.append(code)
                current = code
            parts.append(seg.text)
            plain.append(seg.text)
        parts.append(f"{CSI}0m")
        rows.append("".join(parts))
        text.append("".join(plain))
    return Frame(tuple(rows), tuple(text))


def diff(previous: Frame | None, frame: Frame) -> str:
    """Terminal output turning ``previous`` (None: a blank terminal) into ``frame``."""
    if previous is None:
        return START + "".join(f"{CSI}{y + 1};1H{row}" for y, row in enumerate(frame.rows))
    return "".join(f"{CSI}{y + 1};1H{row}" for y, (old, row)
                   in enumerate(zip(previous.rows, frame.rows, strict=True)) if old != row)
