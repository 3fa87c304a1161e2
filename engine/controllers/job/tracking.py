"""Counting finished pods exactly once, through the tracking finalizer.

Upstream: ``pkg/controller/job/job_controller.go``
(``trackJobStatusAndRemoveFinalizers``, ``canRemoveFinalizer``,
``flushUncountedAndRemoveFinalizers``, ``cleanUncountedPodsWithoutFinalizers``,
``removeTrackingFinalizerFromPods``, ``enactJobFinished``,
``recordJobFinished``, ``updateJobStatus``). Every pod carries the
``batch.kubernetes.io/job-tracking`` finalizer. A finished pod's uid is first
written to ``status.uncountedTerminatedPods``; then its finalizer is removed;
then the uid moves into the ``succeeded``/``failed`` counter. So a counter
is never lost or doubled, whatever crashes in between. The Job's final
condition is written once nothing is uncounted and no pod is terminating.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.job import conditions as c
from engine.controllers.job import indexes as ix
from engine.controllers.job import pods as jp
from engine.controllers.job.context import SyncContext
from engine.controllers.job.policies import match_pod_failure_policy
from engine.events.recorder import NORMAL, WARNING
from engine.runtime.keys import meta_namespace_key

Obj = dict[str, Any]
MAX_UNCOUNTED_PODS = 500
_OMIT_ZERO = ("active", "succeeded", "failed")


def go_status(status: Obj) -> Obj:
    """``JobStatus`` as Go encodes it: zero counters and empty lists omitted,
    ``uncountedTerminatedPods`` kept (a pointer) with its empty lists dropped."""
    out = {k: v for k, v in status.items()
           if not (k in _OMIT_ZERO and not v) and v is not None
           and not (k in ("completedIndexes", "conditions") and not v)}
    uncounted = status.get("uncountedTerminatedPods")
    if uncounted is not None:
        out["uncountedTerminatedPods"] = {k: v for k, v in uncounted.items() if v}
    return out


class TrackingMixin:
    """The status half of ``syncJob``."""

    client: Any
    clock: Any
    recorder: Any
    backoff_store: Any
    finalizer_expectations: Any

    def track_status(self, ctx: SyncContext, needs_flush: bool) -> None:
        """``trackJobStatusAndRemoveFinalizers``."""
        job, status = ctx.job, ctx.status
        indexed = ix.is_indexed(job)
        uncounted = status.setdefault("uncountedTerminatedPods", {})
        pods = sorted(ctx.pods, key=ix.completion_index) if indexed else ctx.pods
        with_finalizer = {p["metadata"]["uid"] for p in pods if jp.has_finalizer(p)
                          and p["metadata"]["uid"] not in ctx.expected_rm_finalizers}
        needs_flush |= clean_uncounted(status, with_finalizer)
        to_remove: list[Obj] = []
        new_indexes: list[int] = []
        reached_max = False
        for pod in pods:
            uid = pod["metadata"]["uid"]
            if not jp.has_finalizer(pod) or uid in ctx.expected_rm_finalizers:
                continue
            failed = jp.is_pod_failed(pod, job)
            if not self._can_remove_finalizer(ctx, pod, failed):
                continue
            to_remove.append(pod)
            needs_flush |= self._count(ctx, pod, failed, uncounted, new_indexes)
            total = len(new_indexes) + len(uncounted.get("succeeded") or ()) + \
                len(uncounted.get("failed") or ())
            if total >= MAX_UNCOUNTED_PODS:
                reached_max = True
                break
        if indexed:
            needs_flush |= self._index_status(ctx, new_indexes)
        needs_flush |= self._interim_condition(ctx)
        needs_flush = self._flush_and_remove(ctx, to_remove, with_finalizer, needs_flush)
        finished = not reached_max and self._enact_finished(ctx)
        if finished or needs_flush:
            ctx.job = self.write_status(ctx.job)
            if finished:
                self._record_finished(ctx.job, ctx.finished)

    def _count(self, ctx: SyncContext, pod: Obj, failed: bool, uncounted: Obj,
               new_indexes: list[int]) -> bool:
        """Put a finished pod's uid (or index) in the uncounted lists. Changed?"""
        job, uid = ctx.job, pod["metadata"]["uid"]
        if jp.phase(pod) == "Succeeded" and uid not in ctx.uncounted_failed:
            if ix.is_indexed(job):
                index = ix.completion_index(pod)
                if ix.in_range(index, job) and not ctx.prev_succeeded_indexes.has(index):
                    new_indexes.append(index)
                    return True
                return False
            if uid not in ctx.uncounted_succeeded:
                uncounted.setdefault("succeeded", []).append(uid)
                return True
            return False
        heading_to_failure = ctx.finished is not None and \
            ctx.finished["type"] != c.SUCCESS_CRITERIA_MET
        if not (failed or heading_to_failure) or uid in ctx.uncounted_failed:
            return False
        if ix.is_indexed(job) and not ix.in_range(ix.completion_index(pod), job):
            return False
        if not match_pod_failure_policy(job["spec"].get("podFailurePolicy"), pod)[1]:
            return False
        uncounted.setdefault("failed", []).append(uid)
        return True

    @staticmethod
    def _can_remove_finalizer(ctx: SyncContext, pod: Obj, failed: bool) -> bool:
        """``canRemoveFinalizer``."""
        if ("deletionTimestamp" in ctx.job["metadata"] or ctx.finished is not None
                or jp.phase(pod) == "Succeeded"):
            return True
        if not failed:
            return False
        delayed = ctx.delayed_deletion.get(ix.completion_index(pod))
        return delayed is None or delayed["metadata"]["uid"] != pod["metadata"]["uid"]

    @staticmethod
    def _index_status(ctx: SyncContext, new_indexes: list[int]) -> bool:
        status = ctx.status
        ctx.succeeded_indexes = ctx.succeeded_indexes.with_indexes(new_indexes)
        completed = str(ctx.succeeded_indexes)
        changed = completed != (status.get("completedIndexes") or "") or bool(new_indexes)
        status["succeeded"] = ctx.succeeded_indexes.total()
        status["completedIndexes"] = completed
        failed = str(ctx.failed_indexes) if ctx.failed_indexes is not None else None
        if failed != status.get("failedIndexes"):
            changed = True
            if failed is None:
                status.pop("failedIndexes", None)
            else:
                status["failedIndexes"] = failed
        return changed

    def _interim_condition(self, ctx: SyncContext) -> bool:
        """Write FailureTarget / SuccessCriteriaMet now; aim for Failed / Complete."""
        cond, now = ctx.finished, self.clock.rfc3339()
        if cond is None:
            return False
        conditions = ctx.status.setdefault("conditions", [])
        if cond["type"] == c.FAILURE_TARGET:
            conditions.append(cond)
            ctx.finished = c.new_condition(c.FAILED, "True", cond["reason"], cond["message"], now)
            return True
        if cond["type"] == c.SUCCESS_CRITERIA_MET:
            added = c.find(conditions, c.SUCCESS_CRITERIA_MET) is None
            if added:
                conditions.append(cond)
            ctx.finished = c.new_condition(c.COMPLETE, "True", cond["reason"], cond["message"],
                                           now)
            return added
        return False

    def _flush_and_remove(self, ctx: SyncContext, to_remove: list[Obj],
                          with_finalizer: set[str], needs_flush: bool) -> bool:
        """``flushUncountedAndRemoveFinalizers``: returns whether a flush is still due."""
        if needs_flush:
            ctx.job = self.write_status(ctx.job)
            if ctx.backoff is not None:
                self.backoff_store.update(ctx.backoff)
            needs_flush = False
        error = None
        if to_remove:
            removed, error = self.remove_finalizers(meta_namespace_key(ctx.job), to_remove)
            with_finalizer -= removed
        if clean_uncounted(ctx.status, with_finalizer):
            needs_flush = True
        if error is not None:
            if needs_flush:
                self.write_status(ctx.job)
            raise error
        return needs_flush

    def remove_finalizers(self, key: str, pods: list[Obj]
                          ) -> tuple[set[str], errors.StatusError | None]:
        """``removeTrackingFinalizerFromPods``: (uids done, first error)."""
        self.finalizer_expectations.expect_removed(key, [p["metadata"]["uid"] for p in pods])
        done: set[str] = set()
        error = None
        for pod in pods:
            m = pod["metadata"]
            try:
                self.client.patch("pods", m["name"], jp.REMOVE_FINALIZER_PATCH,
                                  "application/strategic-merge-patch+json",
                                  namespace=m["namespace"])
            except errors.StatusError as err:
                self.finalizer_expectations.observed(key, m["uid"])
                if err.code != 404:
                    error = error or err
                    continue
            done.add(m["uid"])
        return done, error

    def _enact_finished(self, ctx: SyncContext) -> bool:
        """``enactJobFinished``: nothing uncounted, nothing terminating."""
        cond = ctx.finished
        if cond is None:
            return False
        uncounted = ctx.status.get("uncountedTerminatedPods") or {}
        if uncounted.get("succeeded") or uncounted.get("failed") or ctx.terminating > 0:
            return False
        now = self.clock.rfc3339()
        c.ensure_status(ctx.status.setdefault("conditions", []), cond["type"], cond["status"],
                        cond["reason"], cond["message"], now)
        if cond["type"] == c.COMPLETE:
            ctx.status["completionTime"] = cond["lastTransitionTime"]
        return True

    def _record_finished(self, job: Obj, cond: Obj) -> None:
        """``recordJobFinished``: ``Completed`` ``Job completed``, or the failure reason."""
        if cond["type"] == c.COMPLETE:
            completions = job["spec"].get("completions")
            if completions is not None and (job.get("status") or {}).get("succeeded", 0) > \
                    completions:
                self.recorder.event(job, WARNING, "TooManySucceededPods",
                                    "Too many succeeded pods running after completion count "
                                    "reached")
            self.recorder.event(job, NORMAL, "Completed", "Job completed")
        else:
            self.recorder.event(job, WARNING, cond["reason"], cond["message"])

    def write_status(self, job: Obj) -> Obj:
        """``updateJobStatus``: one write; a conflict retries the whole sync."""
        return self.client.update_status("jobs", {**job, "status": go_status(job["status"])})


def clean_uncounted(status: Obj, with_finalizer: set[str]) -> bool:
    """``cleanUncountedPodsWithoutFinalizers``: uids whose finalizer is gone move
    into the counters. Changed?"""
    uncounted = status.setdefault("uncountedTerminatedPods", {})
    changed = False
    for key in ("succeeded", "failed"):
        uids = uncounted.get(key) or []
        kept = [u for u in uids if u in with_finalizer]
        if len(kept) != len(uids):
            changed = True
            status[key] = status.get(key, 0) + len(uids) - len(kept)
            uncounted[key] = kept
    return changed
