"""Keeping the right number of Job pods running.

Upstream: ``pkg/controller/job/job_controller.go`` (``manageJob``,
``deleteJobPods``, ``deleteActivePods``, ``activePodsForRemoval``,
``getPodCreationInfoForIndependentIndexes``) and
``pkg/controller/controller_utils.go`` (``CreatePodsWithGenerateName``: events
``SuccessfulCreate`` ``Created pod: x``, ``FailedCreate`` ``Error creating: ...``,
``SuccessfulDelete`` ``Deleted pod: x``). A suspended Job deletes its pods;
otherwise it wants ``min(parallelism, completions - succeeded)`` active pods
(``parallelism`` until the first success without ``completions``), deletes the
surplus or creates the missing ones - in slow-start batches, after the
failure back-off, Indexed Jobs at the lowest pending indexes.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.controllers.job import backoff as bo
from engine.controllers.job import indexes as ix
from engine.controllers.job import perindex
from engine.controllers.job import pods as jp
from engine.controllers.job.context import SyncContext
from engine.controllers.util.owners import controller_ref
from engine.controllers.util.pods import is_pod_ready
from engine.events.recorder import NORMAL, WARNING
from engine.runtime.keys import meta_namespace_key

Obj = dict[str, Any]
MAX_POD_CREATE_DELETE_PER_SYNC = 500
SLOW_START_INITIAL_BATCH = 1


class ManageMixin:
    """``manageJob`` and the pod writes of the Job controller."""

    client: Any
    clock: Any
    recorder: Any
    expectations: Any

    def manage_job(self, ctx: SyncContext) -> tuple[int, Exception | None]:
        """Returns (active pods after this sync, error)."""
        job, active = ctx.job, len(ctx.active_pods)
        key = meta_namespace_key(job)
        if job["spec"].get("suspend"):
            victims = self.pods_for_removal(job, ctx.active_pods, active)
            self.expectations.expect_deletions(key, [meta_namespace_key(p) for p in victims])
            ready, removed, error = self.delete_job_pods(job, key, victims)
            ctx.terminating += removed
            ctx.ready -= ready
            return active - removed, error
        want = self._want_active(ctx)
        victims = self.pods_for_removal(job, ctx.active_pods, max(active - want, 0))
        victims = victims[:MAX_POD_CREATE_DELETE_PER_SYNC]
        if victims:
            self.expectations.expect_deletions(key, [meta_namespace_key(p) for p in victims])
            ready, removed, error = self.delete_job_pods(job, key, victims)
            ctx.terminating += removed
            ctx.ready -= ready
            return active - removed, error
        terminating = ctx.terminating if jp.only_replace_failed(job) else 0
        diff = want - terminating - active
        if diff <= 0:
            return active, None
        return self._create_missing(ctx, key, active, diff)

    @staticmethod
    def _want_active(ctx: SyncContext) -> int:
        spec = ctx.job["spec"]
        parallelism = int(spec.get("parallelism", 1))
        completions = spec.get("completions")
        if completions is None:
            return len(ctx.active_pods) if ctx.succeeded > 0 else parallelism
        return max(0, min(int(completions) - ctx.succeeded, parallelism))

    def _create_missing(self, ctx: SyncContext, key: str, active: int,
                        diff: int) -> tuple[int, Exception | None]:
        job, now = ctx.job, self.clock.now()
        wait = 0.0
        if not ix.has_backoff_limit_per_index(job) and ctx.backoff is not None:
            wait = bo.remaining(ctx.backoff.failures_after_last_success,
                                ctx.backoff.last_failure_time, now)
        if wait > 0:
            self.enqueue_after(job, max(wait, 1.0))
            return 0, None
        diff = min(diff, MAX_POD_CREATE_DELETE_PER_SYNC)
        indexes: list[int] = []
        if ix.is_indexed(job):
            terminating = ([p for p in ctx.pods if jp.is_terminating(p)]
                           if jp.only_replace_failed(job) else None)
            indexes = ix.first_pending_indexes(ctx.succeeded_indexes, ctx.failed_indexes,
                                               ctx.active_pods, terminating, diff,
                                               ix.completions_of(job))
            if ix.has_backoff_limit_per_index(job):
                indexes, wait = self._indexes_ready_now(ctx, indexes, now)
                if wait > 0:
                    self.enqueue_after(job, max(wait, 1.0))
                    return 0, None
            diff = len(indexes)
        return self._create_pods(ctx, key, active, diff, indexes)

    @staticmethod
    def _indexes_ready_now(ctx: SyncContext, indexes: list[int],
                           now: float) -> tuple[list[int], float]:
        """``getPodCreationInfoForIndependentIndexes``."""
        ready, waits = [], []
        for index in indexes:
            wait = bo.remaining_for_index(ctx.delayed_deletion.get(index), now)
            (ready.append(index) if wait == 0 else waits.append(wait))
        return (ready, 0.0) if ready else ([], min(waits, default=0.0))

    def _create_pods(self, ctx: SyncContext, key: str, active: int, diff: int,
                     indexes: list[int]) -> tuple[int, Exception | None]:
        job = ctx.job
        self.expectations.expect_creations(key, diff)
        template = meta.deep_copy(job["spec"]["template"])
        if ix.is_indexed(job):
            ix.add_index_env(template.setdefault("spec", {}))
        finalizers = template.setdefault("metadata", {}).setdefault("finalizers", [])
        if jp.TRACKING_FINALIZER not in finalizers:
            finalizers.append(jp.TRACKING_FINALIZER)
        active += diff
        error: Exception | None = None
        batch, done = min(diff, SLOW_START_INITIAL_BATCH), 0
        while diff - done > 0:
            failures = 0
            for _ in range(batch):
                index = indexes.pop(0) if indexes else ix.UNKNOWN
                failure = self._create_one(ctx, key, template, index)
                if failure is not None:
                    failures += 1
                    active -= 1
                    error = error or failure
            done += batch
            skipped = diff - done
            if failures and skipped > 0:
                active -= skipped
                self.expectations.lower(key, adds=skipped)
                break
            batch = min(2 * batch, diff - done)
        return active, error

    def _create_one(self, ctx: SyncContext, key: str, template: Obj,
                    index: int) -> Exception | None:
        """One pod; the API's refusal (its expectation lowered), or None."""
        job = ctx.job
        pod_template = template
        generate = f"{job['metadata']['name']}-"
        if index != ix.UNKNOWN:
            pod_template = meta.deep_copy(template)
            tm = pod_template["metadata"]
            tm.setdefault("annotations", {})[ix.COMPLETION_INDEX] = str(index)
            tm.setdefault("labels", {})[ix.COMPLETION_INDEX] = str(index)
            pod_template["spec"]["hostname"] = f"{job['metadata']['name']}-{index}"
            generate = ix.generate_name(job["metadata"]["name"], index)
            if ix.has_backoff_limit_per_index(job):
                perindex.add_failure_count_annotations(pod_template, job,
                                                       ctx.delayed_deletion.get(index))
        try:
            self.create_pod(job, pod_template, generate)
        except errors.StatusError as err:
            causes = (err.details or {}).get("causes") or ()
            if any(c.get("reason") == "NamespaceTerminating" for c in causes):
                return None
            self.expectations.lower(key, adds=1)
            return err
        return None

    def create_pod(self, job: Obj, template: Obj, generate_name: str) -> Obj:
        """``CreatePodsWithGenerateName``."""
        tm = template.get("metadata") or {}
        metadata: Obj = {"generateName": generate_name, "namespace": job["metadata"]["namespace"],
                         "ownerReferences": [controller_ref(job, "batch/v1", "Job")]}
        for field in ("labels", "annotations", "finalizers"):
            if tm.get(field):
                metadata[field] = meta.deep_copy(tm[field])
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
               "spec": meta.deep_copy(template.get("spec") or {})}
        try:
            created = self.client.create("pods", pod, namespace=metadata["namespace"])
        except errors.StatusError as err:
            self.recorder.event(job, WARNING, "FailedCreate", f"Error creating: {err}")
            raise
        self.recorder.event(job, NORMAL, "SuccessfulCreate",
                            f"Created pod: {created['metadata']['name']}")
        return created

    def delete_pod(self, job: Obj, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        try:
            self.client.delete("pods", name, namespace=pod["metadata"]["namespace"])
        except errors.StatusError as err:
            if err.code != 404:
                self.recorder.event(job, WARNING, "FailedDelete", f"Error deleting: {err}")
            raise
        self.recorder.event(job, NORMAL, "SuccessfulDelete", f"Deleted pod: {name}")

    def delete_job_pods(self, job: Obj, key: str,
                        pods: list[Obj]) -> tuple[int, int, Exception | None]:
        """``deleteJobPods``: drop the finalizer, then delete. (ready, deleted, error)"""
        ready = removed = 0
        error: Exception | None = None
        for pod in pods:
            m = pod["metadata"]
            try:
                if jp.has_finalizer(pod):
                    self.client.patch("pods", m["name"], jp.REMOVE_FINALIZER_PATCH,
                                      "application/strategic-merge-patch+json",
                                      namespace=m["namespace"])
                self.delete_pod(job, pod)
            except errors.StatusError as err:
                self.expectations.deletion_observed(key, meta_namespace_key(pod))
                if err.code != 404:
                    error = error or err
                    continue
            removed += 1
            ready += is_pod_ready(pod)
        return ready, removed, error

    def delete_active_pods(self, job: Obj, pods: list[Obj]) -> tuple[int, int, Exception | None]:
        """``deleteActivePods``: delete, keeping the finalizers (the pods are
        counted as they go). (ready, deleted, error)"""
        ready = removed = 0
        error: Exception | None = None
        for pod in pods:
            try:
                self.delete_pod(job, pod)
            except errors.StatusError as err:
                if err.code != 404:
                    error = error or err
                    continue
            removed += 1
            ready += is_pod_ready(pod)
        return ready, removed, error

    @staticmethod
    def pods_for_removal(job: Obj, pods: list[Obj], at_least: int) -> list[Obj]:
        """``activePodsForRemoval``: repeated or bad indexes first, then by rank."""
        remove: list[Obj] = []
        left = pods
        if ix.is_indexed(job):
            remove, left = ix.duplicated_index_pods(pods, ix.completions_of(job), jp.rank_active)
        if len(remove) < at_least:
            remove += jp.rank_active(left)[:at_least - len(remove)]
        return remove
