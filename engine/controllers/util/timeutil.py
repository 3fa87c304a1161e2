"""``metav1.Time`` strings to seconds and back (RFC 3339, as the API writes them)."""

from __future__ import annotations

import functools
from datetime import datetime


@functools.lru_cache(maxsize=65536)
def parse_time(stamp: str | None) -> float | None:
    """Seconds since the epoch for an RFC 3339 stamp; None when unset or bad."""
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
