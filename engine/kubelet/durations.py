"""Go-style durations: parsing what manifests write and printing what the
kubelet prints.

Annotations such as ``k9py.dev/crash-after: "1m30s"`` use Go's
``time.ParseDuration`` syntax (a bare number means seconds here). Event and
status messages print durations the way Go's ``time.Duration.String`` does
(``1.234s``, ``512ms``, ``1m30s``, ``5m0s``), as in the kubelet's
``Successfully pulled image "x" in 1.234s`` and ``back-off 5m0s``.
"""

from __future__ import annotations

import re

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0,
          "d": 86400.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)")


def parse_duration(text: str | int | float | None) -> float | None:
    """Seconds in ``text`` (``"30s"``, ``"1m30s"``, ``"1.5"``, ``"2h"``); None if invalid."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text) if text >= 0 else None
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return value if value >= 0 else None
    total, pos = 0.0, 0
    for match in _PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    return total if pos == len(text) and pos else None


def go_duration(seconds: float) -> str:
    """``time.Duration.String`` for a non-negative duration."""
    nanos = round(seconds * 1e9)
    if nanos == 0:
        return "0s"
    if nanos < 1_000:
        return f"{nanos}ns"
    if nanos < 1_000_000:
        return _trim(nanos / 1e3) + "µs"
    if nanos < 1_000_000_000:
        return _trim(nanos / 1e6) + "ms"
    hours, rest = divmod(nanos, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    secs = _trim(rest / 1e9)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


def truncate_ms(seconds: float) -> float:
    """``Duration.Truncate(time.Millisecond)``."""
    return int(seconds * 1000) / 1000


def _trim(value: float) -> str:
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text or "0"
