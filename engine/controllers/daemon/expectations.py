"""Creations and deletions a DaemonSet still waits to see.

Upstream: ``pkg/controller/controller_utils.go`` (``ControllerExpectations``
with ``SetExpectations(key, add, del)``): the DaemonSet controller expects
creations and deletions at once, so it cannot use the one-kind-at-a-time
helper in ``engine.controllers.util.expectations``. Deletions are tracked by
pod key so a pod counts once; after 5 minutes expectations lapse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXPECTATIONS_TIMEOUT = 5 * 60.0


@dataclass
class _Expected:
    adds: int
    deletes: set[str]
    since: float


class Expectations:
    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self._items: dict[str, _Expected] = {}

    def satisfied(self, key: str) -> bool:
        exp = self._items.get(key)
        if exp is None or (exp.adds <= 0 and not exp.deletes):
            return True
        return self.clock.monotonic() - exp.since > EXPECTATIONS_TIMEOUT

    def set(self, key: str, adds: int, pod_keys: list[str]) -> None:
        self._items[key] = _Expected(adds, set(pod_keys),
                                     self.clock.monotonic())

    def creation_observed(self, key: str) -> None:
        exp = self._items.get(key)
        if exp is not None:
            exp.adds -= 1

    def deletion_observed(self, key: str, pod_key: str) -> None:
        exp = self._items.get(key)
        if exp is not None:
            exp.deletes.discard(pod_key)

    def lower(self, key: str, adds: int = 0) -> None:
        exp = self._items.get(key)
        if exp is not None:
            exp.adds -= adds

    def delete(self, key: str) -> None:
        self._items.pop(key, None)
