"""``backoffLimitPerIndex``: each index of an Indexed Job fails on its own.

Upstream: ``pkg/controller/job/indexed_job_utils.go``
(``calculateFailedIndexes``, ``isIndexFailed``,
``getPodsWithDelayedDeletionPerIndex``, ``addIndexFailureCountAnnotation``,
``getNewIndexFailureCounts``). Each pod carries
``batch.kubernetes.io/job-index-failure-count``: how many pods of its index
failed before it (so a container can tell its first attempt from a retry
through the downward API). An index whose pod fails with that count already
at ``backoffLimitPerIndex`` is failed for good (``status.failedIndexes``).
The last failed pod of an index keeps its finalizer until its replacement
exists, so the count carries over.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.job import indexes as ix
from engine.controllers.job import pods as jp
from engine.controllers.job.context import SyncContext
from engine.controllers.job.policies import match_pod_failure_policy

Obj = dict[str, Any]


def is_index_failed(job: Obj, pod: Obj) -> bool:
    """``isIndexFailed``: a FailIndex rule, or a counted failure at the limit."""
    if not jp.is_pod_failed(pod, job):
        return False
    policy = job["spec"].get("podFailurePolicy")
    counted = True
    if policy is not None:
        _, counted, action = match_pod_failure_policy(policy, pod)
        if action == "FailIndex":
            return True
    return counted and ix.failure_count(pod) >= int(job["spec"]["backoffLimitPerIndex"])


def failed_indexes(job: Obj, pods: list[Obj]) -> ix.Intervals:
    """``calculateFailedIndexes``: the status's list plus newly failed indexes."""
    prev = ix.parse((job.get("status") or {}).get("failedIndexes"), ix.completions_of(job))
    new = [ix.completion_index(p) for p in pods
           if jp.has_finalizer(p) and is_index_failed(job, p)
           and ix.in_range(ix.completion_index(p), job)]
    return prev.with_indexes(new)


def pods_with_delayed_deletion(ctx: SyncContext) -> dict[int, Obj]:
    """``getPodsWithDelayedDeletionPerIndex``: per pending index, its latest failed pod."""
    job = ctx.job
    active = ix.get_indexes(ctx.active_pods)
    out: dict[int, Obj] = {}
    for pod in ctx.pods:
        uid = pod["metadata"]["uid"]
        if not jp.has_finalizer(pod) or uid in ctx.expected_rm_finalizers:
            continue
        index = ix.completion_index(pod)
        if not ix.in_range(index, job) or not jp.is_pod_failed(pod, job):
            continue
        failed = ctx.failed_indexes
        if ctx.succeeded_indexes.has(index) or index in active or \
                (failed is not None and failed.has(index)):
            continue
        last = out.get(index)
        if last is None or (ix.absolute_failure_count(last) <= ix.absolute_failure_count(pod)
                            and jp.finished_time(pod) >= jp.finished_time(last)):
            out[index] = pod
    return out


def add_failure_count_annotations(template: Obj, job: Obj, replaced: Obj | None) -> None:
    """``addIndexFailureCountAnnotation``: the replaced pod's counts, plus its failure."""
    failures = ignored = 0
    if replaced is not None:
        failures = ix.failure_count(replaced)
        ignored = ix.failure_count(replaced, ix.INDEX_IGNORED_FAILURE_COUNT)
        counted = match_pod_failure_policy(job["spec"].get("podFailurePolicy"), replaced)[1]
        if counted:
            failures += 1
        else:
            ignored += 1
    notes = template["metadata"].setdefault("annotations", {})
    notes[ix.INDEX_FAILURE_COUNT] = str(failures)
    if ignored > 0:
        notes[ix.INDEX_IGNORED_FAILURE_COUNT] = str(ignored)
