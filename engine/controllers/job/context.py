"""What one ``syncJob`` knows (upstream's ``syncJobCtx``) and the expected
finalizer removals (``uidTrackingExpectations`` in ``tracking_utils.go``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.controllers.job.backoff import BackoffRecord
from engine.controllers.job.indexes import Intervals

Obj = dict[str, Any]


@dataclass
class SyncContext:
    job: Obj
    pods: list[Obj]
    active_pods: list[Obj]
    ready: int
    uncounted_succeeded: set[str]
    uncounted_failed: set[str]
    expected_rm_finalizers: set[str]
    terminating: int = 0
    succeeded: int = 0
    failed: int = 0
    backoff: BackoffRecord | None = None
    finished: Obj | None = None  # the condition the Job is heading for
    prev_succeeded_indexes: Intervals = field(default_factory=Intervals)
    succeeded_indexes: Intervals = field(default_factory=Intervals)
    failed_indexes: Intervals | None = None
    delayed_deletion: dict[int, Obj] = field(default_factory=dict)
    suspend_changed: bool = False

    @property
    def status(self) -> Obj:
        return self.job.setdefault("status", {})


class FinalizerExpectations:
    """Pod uids whose tracking finalizer removal has not been observed yet."""

    def __init__(self) -> None:
        self._uids: dict[str, set[str]] = {}

    def expected(self, key: str) -> set[str]:
        return set(self._uids.get(key, ()))

    def expect_removed(self, key: str, uids: list[str]) -> None:
        self._uids.setdefault(key, set()).update(uids)

    def observed(self, key: str, uid: str) -> None:
        uids = self._uids.get(key)
        if uids is not None:
            uids.discard(uid)
            if not uids:
                del self._uids[key]

    def delete(self, key: str) -> None:
        self._uids.pop(key, None)
