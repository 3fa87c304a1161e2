"""Job conditions.

Upstream: ``pkg/controller/job/job_controller.go`` (``newCondition``,
``ensureJobConditionStatus``, ``findConditionByType``) and
``pkg/controller/job/util/utils.go`` (``IsJobFinished``). Conditions carry
``lastProbeTime`` and ``lastTransitionTime``, both the time of the change.
Since v1.31 a Job first gets the interim ``SuccessCriteriaMet`` or
``FailureTarget`` condition, and ``Complete`` or ``Failed`` (with the same
reason and message) only once none of its pods is still terminating.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

COMPLETE, FAILED = "Complete", "Failed"
SUCCESS_CRITERIA_MET, FAILURE_TARGET = "SuccessCriteriaMet", "FailureTarget"
SUSPENDED = "Suspended"

BACKOFF_LIMIT_EXCEEDED = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
DEADLINE_EXCEEDED = ("DeadlineExceeded", "Job was active longer than specified deadline")
MAX_FAILED_INDEXES_EXCEEDED = ("MaxFailedIndexesExceeded",
                               "Job has exceeded the specified maximal number of failed indexes")
FAILED_INDEXES = ("FailedIndexes", "Job has failed indexes")
COMPLETIONS_REACHED = ("CompletionsReached", "Reached expected number of succeeded pods")
POD_FAILURE_POLICY = "PodFailurePolicy"
SUCCESS_POLICY = "SuccessPolicy"


def new_condition(kind: str, status: str, reason: str, message: str, now: str) -> Obj:
    return {"type": kind, "status": status, "lastProbeTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def find(conditions: list[Obj] | None, kind: str) -> Obj | None:
    return next((c for c in conditions or () if c.get("type") == kind), None)


def is_true(job: Obj, kind: str) -> bool:
    cond = find((job.get("status") or {}).get("conditions"), kind)
    return cond is not None and cond.get("status") == "True"


def is_finished(job: Obj) -> bool:
    """``IsJobFinished``: Complete or Failed is True."""
    return is_true(job, COMPLETE) or is_true(job, FAILED)


def ensure_status(conditions: list[Obj], kind: str, status: str, reason: str, message: str,
                  now: str) -> bool:
    """``ensureJobConditionStatus``: set (in place); never add a False one. Changed?"""
    current = find(conditions, kind)
    if current is not None:
        if (current.get("status"), current.get("reason", ""), current.get("message", "")) == \
                (status, reason, message):
            return False
        current.clear()
        current.update(new_condition(kind, status, reason, message, now))
        return True
    if status == "False":
        return False
    conditions.append(new_condition(kind, status, reason, message, now))
    return True
