"""Pod failure back-off: when a Job may create its next pod after failures.

Upstream: ``pkg/controller/job/backoff_utils.go`` (``backoffRecord``,
``backoffStore.newBackoffRecord``/``updateBackoffRecord``,
``getRemainingTimeForFailuresCount``, ``getRemainingTimePerIndex``): after n
failures since the last success, 10 s doubling per failure up to 10 minutes
(``DefaultJobPodFailureBackOff``, ``MaxJobPodFailureBackOff``), counted from
the last failure's finish time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.controllers.job import indexes as ix
from engine.controllers.job.pods import finished_time

Obj = dict[str, Any]

DEFAULT_BACKOFF = 10.0
MAX_BACKOFF = 600.0


@dataclass(frozen=True)
class BackoffRecord:
    key: str
    failures_after_last_success: int = 0
    last_failure_time: float | None = None


def remaining(failures: int, last_failure: float | None, now: float) -> float:
    """``getRemainingTimeForFailuresCount``."""
    if failures == 0 or last_failure is None:
        return 0.0
    delay = DEFAULT_BACKOFF
    for _ in range(1, failures):
        delay *= 2
        if delay >= MAX_BACKOFF:
            delay = MAX_BACKOFF
            break
    elapsed = now - last_failure
    return 0.0 if delay < elapsed else delay - elapsed


def remaining_for_index(last_failed: Obj | None, now: float) -> float:
    """``getRemainingTimePerIndex``: from the index's last failed pod."""
    if last_failed is None:
        return 0.0
    return remaining(ix.absolute_failure_count(last_failed) + 1, finished_time(last_failed), now)


class BackoffStore:
    """``backoffStore``: one record per Job key."""

    def __init__(self) -> None:
        self._records: dict[str, BackoffRecord] = {}

    def new_record(self, key: str, succeeded: list[Obj], failed: list[Obj]) -> BackoffRecord:
        """``newBackoffRecord``: fold newly finished pods into the stored record."""
        old = self._records.get(key) or BackoffRecord(key)
        failed = sorted(failed, key=finished_time)
        if not succeeded:
            if not failed:
                return old
            return BackoffRecord(key, old.failures_after_last_success + len(failed),
                                 finished_time(failed[-1]))
        last_success = max(finished_time(p) for p in succeeded)
        after = [finished_time(p) for p in failed if finished_time(p) > last_success]
        return BackoffRecord(key, len(after), after[-1] if after else None)

    def update(self, record: BackoffRecord) -> None:
        self._records[record.key] = record

    def remove(self, key: str) -> None:
        self._records.pop(key, None)
