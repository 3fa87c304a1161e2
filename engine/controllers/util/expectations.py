"""Expectations: what a controller is still waiting to see in its informer.

Upstream: ``pkg/controller/controller_utils.go`` (``ControllerExpectations``,
``UIDTrackingControllerExpectations``). After a sync creates 10 pods it
expects 10 adds; until the informer has shown them (or 5 minutes passed)
the controller does not act on its stale view again, so it never creates
the same replica twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.clock import Clock

# ExpectationsTimeout: after this, a controller acts even on unmet expectations.
EXPECTATIONS_TIMEOUT = 5 * 60.0


@dataclass
class _Expectee:
    add: int
    delete: int
    timestamp: float
    deleting: set[str] = field(default_factory=set)

    def fulfilled(self) -> bool:
        return self.add <= 0 and self.delete <= 0


class ControllerExpectations:
    """Creations and deletions still to be observed, per controller key; the
    deletions are tracked by pod key so a pod counts once (UID tracking)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._items: dict[str, _Expectee] = {}

    def satisfied(self, key: str) -> bool:
        """``SatisfiedExpectations``: nothing pending, expired, or never set."""
        exp = self._items.get(key)
        if exp is None:
            return True
        if exp.fulfilled():
            return True
        return self.clock.monotonic() - exp.timestamp > EXPECTATIONS_TIMEOUT

    def expect_creations(self, key: str, adds: int) -> None:
        self._items[key] = _Expectee(adds, 0, self.clock.monotonic())

    def expect_deletions(self, key: str, pod_keys: list[str]) -> None:
        self._items[key] = _Expectee(0, len(pod_keys), self.clock.monotonic(), set(pod_keys))

    def creation_observed(self, key: str) -> None:
        exp = self._items.get(key)
        if exp is not None:
            exp.add -= 1

    def deletion_observed(self, key: str, pod_key: str) -> None:
        exp = self._items.get(key)
        if exp is not None and pod_key in exp.deleting:
            exp.deleting.discard(pod_key)
            exp.delete -= 1

    def lower(self, key: str, adds: int = 0, deletes: int = 0) -> None:
        """``LowerExpectations``: give up on creations that will never happen."""
        exp = self._items.get(key)
        if exp is not None:
            exp.add -= adds
            exp.delete -= deletes

    def delete(self, key: str) -> None:
        """``DeleteExpectations``: the controller is gone."""
        self._items.pop(key, None)
