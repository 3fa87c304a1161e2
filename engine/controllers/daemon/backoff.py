"""The back-off between deletions of a node's failed daemon pods.

Upstream: ``k8s.io/client-go/util/flowcontrol/backoff.go`` (``Backoff``:
``Next``, ``Get``, ``IsInBackOffSinceUpdate``), used by the DaemonSet
controller as ``failedPodsBackoff`` (1 s doubling to 15 min, per DaemonSet
and node) so it does not fight a kubelet that keeps rejecting its pods.
Upstream adds no jitter here either (``NewBackOff``).
"""

from __future__ import annotations

from dataclasses import dataclass

INITIAL = 1.0
MAXIMUM = 15 * 60.0


@dataclass
class _Entry:
    backoff: float
    last_update: float


class Backoff:
    def __init__(self, initial: float = INITIAL, maximum: float = MAXIMUM) -> None:
        self.initial = initial
        self.maximum = maximum
        self._entries: dict[str, _Entry] = {}

    def get(self, key: str) -> float:
        entry = self._entries.get(key)
        return entry.backoff if entry is not None else 0.0

    def next(self, key: str, now: float) -> None:
        """Start at ``initial``, or double (up to ``maximum``); a back-off idle for
        twice the maximum starts over."""
        entry = self._entries.get(key)
        if entry is None or now - entry.last_update > 2 * self.maximum:
            self._entries[key] = _Entry(self.initial, now)
            return
        entry.backoff = min(entry.backoff * 2, self.maximum)
        entry.last_update = now

    def in_backoff_since_update(self, key: str, now: float) -> bool:
        entry = self._entries.get(key)
        return entry is not None and now - entry.last_update < entry.backoff
