"""Per-item exponential back-off, as client-go's ``util/flowcontrol/backoff.go``.

The kubelet keeps two of them (``pkg/kubelet/kubelet.go``): one for restarting
crashed containers and one for pulling images, both starting at 10 s and
doubling to a 300 s cap (``MaxContainerBackOff``). An entry whose last update
is more than twice the cap old (10 minutes) has expired and starts over at
10 s, which is how a container that ran for ten minutes gets a fresh back-off.
No jitter, so virtual-clock runs repeat exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

INITIAL = 10.0
MAX = 300.0


@dataclass
class _Entry:
    backoff: float
    last_update: float


class Backoff:
    """``flowcontrol.Backoff`` over the engine clock's seconds."""

    def __init__(self, initial: float = INITIAL, maximum: float = MAX) -> None:
        self.initial = initial
        self.maximum = maximum
        self._items: dict[str, _Entry] = {}

    def get(self, key: str) -> float:
        """The current back-off of ``key`` (0 when it has none)."""
        entry = self._items.get(key)
        return entry.backoff if entry else 0.0

    def next(self, key: str, at: float) -> float:
        """Record a failure at ``at``: start at ``initial`` or double, up to the cap."""
        entry = self._items.get(key)
        if entry is None or self._expired(at, entry):
            entry = self._items[key] = _Entry(self.initial, at)
        else:
            entry.backoff = min(entry.backoff * 2, self.maximum)
            entry.last_update = at
        return entry.backoff

    def in_backoff_since(self, key: str, event_time: float, now: float) -> bool:
        """``IsInBackOffSince``: still waiting out the back-off counted from ``event_time``."""
        entry = self._items.get(key)
        if entry is None or self._expired(event_time, entry):
            return False
        return now - event_time < entry.backoff

    def in_backoff_since_update(self, key: str, now: float) -> bool:
        """``IsInBackOffSinceUpdate``: waiting out the back-off counted from the last failure."""
        entry = self._items.get(key)
        if entry is None or self._expired(now, entry):
            return False
        return now - entry.last_update < entry.backoff

    def release_at(self, key: str, event_time: float) -> float:
        """When ``in_backoff_since(key, event_time, now)`` turns false."""
        entry = self._items.get(key)
        return event_time + (entry.backoff if entry else 0.0)

    def last_update(self, key: str) -> float:
        entry = self._items.get(key)
        return entry.last_update if entry else 0.0

    def forget(self, prefix: str) -> None:
        """Drop every key starting with ``prefix`` (a deleted pod's entries)."""
        for key in [k for k in self._items if k.startswith(prefix)]:
            del self._items[key]

    def _expired(self, at: float, entry: _Entry) -> bool:
        return at - entry.last_update > 2 * self.maximum
