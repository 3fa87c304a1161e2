"""``k9py play``: a small asciicast v2 player, so recordings play without asciinema.

Output events are written as they come, with the pauses between them scaled by
``speed`` and capped at the idle-time limit (the option, else the cast's header),
which is what makes a recording's long simulated waits watchable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from k9py.record.asciicast import read_cast

RESTORE = "\x1b[0m\x1b[?25h"  # attributes reset, cursor shown again


def play(path: Path | str, *, speed: float = 1.0, idle_time_limit: float | None = None,
         out: TextIO | None = None, sleep: Callable[[float], None] = time.sleep) -> float:
    """Play ``path`` to ``out`` (stdout); returns the playing time it slept in total."""
    out = out or sys.stdout
    cast = read_cast(path)
    limit = idle_time_limit if idle_time_limit is not None else \
        cast.header.get("idle_time_limit")
    slept, last = 0.0, 0.0
    try:
        for t, code, data in cast.events:
            if code != "o":  # markers, input, resizes: nothing to show
                continue
            pause = max(0.0, t - last)
            last = t
            if limit:
                pause = min(pause, float(limit))
            pause /= speed
            if pause > 0:
                sleep(pause)
                slept += pause
            out.write(data)
            out.flush()
    finally:  # below the recording's last row, cursor back, for the shell prompt
        out.write(f"{RESTORE}\x1b[{int(cast.header.get('height', 1))};1H\n")
        out.flush()
    return slept
