"""The Job controller: informers, handlers and ``syncJob``.

Upstream: ``pkg/controller/job/job_controller.go`` (``Controller``,
``syncJob``, ``getPodsForJob``, ``syncOrphanPod``, the pod and Job handlers).
``syncJob``, for a Job not yet finished:

1. claim its pods (adopting orphans adds the tracking finalizer);
2. count newly finished pods; start the clock (``startTime``) unless suspended;
3. decide whether it is heading for failure - a podFailurePolicy FailJob
   rule, ``backoffLimit`` exceeded, ``activeDeadlineSeconds`` passed,
   failed indexes - or success (``successPolicy``, or enough completions);
4. failing: delete the active pods; otherwise ``manageJob`` (and the
   ``Suspended`` condition with its ``Suspended``/``Resumed`` events);
5. track the status through the finalizers and, once every pod is counted
   and none is terminating, write ``Complete`` or ``Failed``.

Pod events sync the Job one second later (``syncJobBatchPeriod``), so a burst
of pod updates costs one sync. Orphaned pods that still carry the tracking
finalizer are queued as ``orphan/<namespace>/<name>`` and released.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.controllers.job import conditions as c
from engine.controllers.job import indexes as ix
from engine.controllers.job import perindex
from engine.controllers.job import pods as jp
from engine.controllers.job.backoff import BackoffStore
from engine.controllers.job.context import FinalizerExpectations, SyncContext
from engine.controllers.job.handlers import JobHandler, PodHandler
from engine.controllers.job.manage import ManageMixin
from engine.controllers.job.policies import match_pod_failure_policy, match_success_policy
from engine.controllers.job.tracking import TrackingMixin
from engine.controllers.util.expectations import ControllerExpectations
from engine.controllers.util.owners import (
    CONTROLLER_UID_INDEX,
    controller_of,
    controller_uid_index,
    owned_or_orphaned,
)
from engine.controllers.util.refmanager import ControllerRefManager
from engine.controllers.util.selectors import label_selector
from engine.controllers.util.timeutil import parse_time
from engine.events.recorder import NORMAL, WARNING, EventRecorder
from engine.runtime import (
    Controller,
    ItemExponentialFailureRateLimiter,
    SharedInformerFactory,
    split_meta_namespace_key,
)

Obj = dict[str, Any]
COMPONENT = "job-controller"
ORPHAN_PREFIX = "orphan/"
SYNC_JOB_BATCH_PERIOD = 1.0
API_BACKOFF, MAX_API_BACKOFF = 1.0, 60.0


class JobController(ManageMixin, TrackingMixin, Controller):
    """The Job ``Controller``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers,
                         rate_limiter=ItemExponentialFailureRateLimiter(API_BACKOFF,
                                                                        MAX_API_BACKOFF))
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        self.expectations = ControllerExpectations(client.clock)
        self.finalizer_expectations = FinalizerExpectations()
        self.backoff_store = BackoffStore()
        job_informer = factory.informer_for("jobs")
        pod_informer = factory.informer_for("pods",
                                            indexers={CONTROLLER_UID_INDEX: controller_uid_index})
        self.job_lister = job_informer.lister()
        self.pod_indexer = pod_informer.get_indexer()
        self.informers += [job_informer, pod_informer]
        job_informer.add_event_handler(JobHandler(self))
        pod_informer.add_event_handler(PodHandler(self))

    # -- lookups -------------------------------------------------------------------------
    def resolve(self, namespace: str, ref: Obj | None) -> Obj | None:
        if ref is None or ref.get("kind") != "Job":
            return None
        job = self.job_lister.get(namespace, ref.get("name", ""))
        if job is None or job["metadata"].get("uid") != ref.get("uid"):
            return None
        return job

    def jobs_for_pod(self, pod: Obj) -> list[Obj]:
        """``getPodJobs``: Jobs whose selector matches an orphan."""
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        return [j for j in self.job_lister.list(pod["metadata"].get("namespace"))
                if label_selector(j["spec"].get("selector")).matches(labels)]

    def pods_for_job(self, job: Obj) -> list[Obj]:
        """``getPodsForJob``: claimed pods; adopted ones count as carrying the finalizer."""
        selector = label_selector(job["spec"].get("selector"))
        m = job["metadata"]

        def fresh() -> Obj | None:
            try:
                return self.client.get("jobs", m["name"], m["namespace"])
            except errors.StatusError:
                return None

        manager = ControllerRefManager(
            self.client, job, lambda p: selector.matches(p["metadata"].get("labels") or {}),
            "pods", "batch/v1", "Job", fresh)
        candidates = owned_or_orphaned(self.pod_indexer, job)
        owned = {p["metadata"]["uid"] for p in candidates
                 if (controller_of(p) or {}).get("uid") == m["uid"]}
        pods = manager.claim(candidates)
        return [p if p["metadata"]["uid"] in owned else self._track(p) for p in pods]

    def _track(self, pod: Obj) -> Obj:
        """An adopted pod gets the tracking finalizer (upstream adds it in the
        adoption patch)."""
        if jp.has_finalizer(pod):
            return pod
        m = pod["metadata"]
        try:
            return self.client.patch("pods", m["name"],
                                     {"metadata": {"finalizers": [jp.TRACKING_FINALIZER]}},
                                     "application/strategic-merge-patch+json",
                                     namespace=m["namespace"])
        except errors.StatusError:
            tracked = meta.deep_copy(pod)
            tracked["metadata"].setdefault("finalizers", []).append(jp.TRACKING_FINALIZER)
            return tracked

    # -- sync ------------------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        if key.startswith(ORPHAN_PREFIX):
            self.sync_orphan_pod(key[len(ORPHAN_PREFIX):])
            return None
        return self.sync_job(key)

    def sync_job(self, key: str) -> float | None:
        """``syncJob``."""
        ns, name = split_meta_namespace_key(key)
        shared = self.job_lister.get(ns, name)
        if shared is None:
            self.expectations.delete(key)
            self.finalizer_expectations.delete(key)
            self.backoff_store.remove(key)
            return None
        if c.is_finished(shared):
            self.backoff_store.remove(key)
            return None
        job = meta.deep_copy(shared)
        mode = job["spec"].get("completionMode")
        if mode not in (None, "NonIndexed", "Indexed"):
            self.recorder.event(job, WARNING, "UnknownCompletionMode",
                                "Skipped Job sync because completion mode is unknown")
            return None
        status = job.setdefault("status", {})
        status.setdefault("uncountedTerminatedPods", {})
        satisfied = self.expectations.satisfied(key)
        ctx = self._context(key, job, self.pods_for_job(job))
        recheck = self._decide(ctx)
        manage_error = self._act(ctx, satisfied)
        self.track_status(ctx, self._counters_changed(ctx, status_before=shared.get("status")))
        if manage_error is not None:
            raise manage_error
        return recheck

    def _context(self, key: str, job: Obj, pods: list[Obj]) -> SyncContext:
        status = job["status"]
        uncounted = status["uncountedTerminatedPods"]
        active = [p for p in pods if jp.phase(p) not in ("Succeeded", "Failed")
                  and "deletionTimestamp" not in p["metadata"]]
        ctx = SyncContext(job, pods, active, jp.count_ready(active),
                          set(uncounted.get("succeeded") or ()), set(uncounted.get("failed") or ()),
                          self.finalizer_expectations.expected(key))
        ctx.terminating = sum(jp.is_terminating(p) for p in pods)
        new_succeeded, new_failed = self._new_finished(ctx)
        ctx.succeeded = status.get("succeeded", 0) + len(new_succeeded) + \
            len(ctx.uncounted_succeeded)
        policy = job["spec"].get("podFailurePolicy")
        counted = [p for p in new_failed if match_pod_failure_policy(policy, p)[1]]
        ctx.failed = status.get("failed", 0) + len(counted) + len(ctx.uncounted_failed)
        if status.get("startTime") is None and not job["spec"].get("suspend"):
            status["startTime"] = self.clock.rfc3339()
        ctx.backoff = self.backoff_store.new_record(key, new_succeeded, new_failed)
        return ctx

    def _new_finished(self, ctx: SyncContext) -> tuple[list[Obj], list[Obj]]:
        """``getNewFinishedPods``: finished pods not counted yet."""
        succeeded, failed = [], []
        for pod in ctx.pods:
            uid = pod["metadata"]["uid"]
            if not jp.has_finalizer(pod) or uid in ctx.expected_rm_finalizers:
                continue
            if ix.is_indexed(ctx.job) and not ix.in_range(ix.completion_index(pod), ctx.job):
                continue
            if jp.phase(pod) == "Succeeded" and uid not in ctx.uncounted_succeeded:
                succeeded.append(pod)
            elif jp.is_pod_failed(pod, ctx.job) and uid not in ctx.uncounted_failed:
                failed.append(pod)
        return succeeded, failed

    def _decide(self, ctx: SyncContext) -> float | None:
        """Where the Job is heading; seconds until the deadline must be checked."""
        job, now = ctx.job, self.clock.rfc3339()
        conditions = ctx.status.get("conditions") or []
        met = c.find(conditions, c.SUCCESS_CRITERIA_MET)
        ctx.finished = met if met is not None and met.get("status") == "True" else None
        recheck = None
        if ctx.finished is None:
            target = c.find(conditions, c.FAILURE_TARGET)
            if target is not None and target.get("status") == "True":
                ctx.finished = c.new_condition(c.FAILED, "True", target["reason"],
                                               target["message"], now)
            else:
                message = self._fail_job_message(job, ctx.pods)
                if message is not None:
                    ctx.finished = c.new_condition(c.FAILURE_TARGET, "True",
                                                   c.POD_FAILURE_POLICY, message, now)
        if ctx.finished is None:
            recheck = self._limits(ctx, now)
        if ix.is_indexed(job):
            self._indexed(ctx, now)
        return recheck

    def _limits(self, ctx: SyncContext, now: str) -> float | None:
        job = ctx.job
        limit = int(job["spec"].get("backoffLimit", 6))
        if ctx.failed > limit or self._past_backoff_limit_on_failure(job, ctx.pods):
            ctx.finished = c.new_condition(c.FAILURE_TARGET, "True", *c.BACKOFF_LIMIT_EXCEEDED,
                                           now)
            return None
        deadline = job["spec"].get("activeDeadlineSeconds")
        if deadline is None or job["spec"].get("suspend"):
            return None
        started = parse_time(ctx.status.get("startTime")) or self.clock.now()
        left = started + int(deadline) - self.clock.now()
        if left <= 0:
            ctx.finished = c.new_condition(c.FAILURE_TARGET, "True", *c.DEADLINE_EXCEEDED, now)
            return None
        return left

    def _indexed(self, ctx: SyncContext, now: str) -> None:
        job = ctx.job
        ctx.prev_succeeded_indexes, ctx.succeeded_indexes = ix.succeeded_indexes(job, ctx.pods)
        ctx.succeeded = ctx.succeeded_indexes.total()
        completions = ix.completions_of(job)
        if ix.has_backoff_limit_per_index(job):
            ctx.failed_indexes = perindex.failed_indexes(job, ctx.pods)
            if ctx.finished is None:
                max_failed = job["spec"].get("maxFailedIndexes")
                total = ctx.failed_indexes.total()
                if max_failed is not None and total > int(max_failed):
                    ctx.finished = c.new_condition(c.FAILURE_TARGET, "True",
                                                   *c.MAX_FAILED_INDEXES_EXCEEDED, now)
                elif total > 0 and total + ctx.succeeded_indexes.total() >= completions:
                    ctx.finished = c.new_condition(c.FAILURE_TARGET, "True", *c.FAILED_INDEXES,
                                                   now)
            ctx.delayed_deletion = perindex.pods_with_delayed_deletion(ctx)
        if ctx.finished is None:
            message = match_success_policy(job["spec"].get("successPolicy"), completions,
                                           ctx.succeeded_indexes)
            if message is not None:
                ctx.finished = c.new_condition(c.SUCCESS_CRITERIA_MET, "True", c.SUCCESS_POLICY,
                                               message, now)

    def _act(self, ctx: SyncContext, satisfied: bool) -> Exception | None:
        """Delete the active pods of a finishing Job, or manage the pods."""
        job, active = ctx.job, len(ctx.active_pods)
        if ctx.finished is not None:
            ready, deleted, error = self.delete_active_pods(job, ctx.active_pods)
            if deleted != active or not satisfied:
                ctx.finished = None  # pods or finalizers may not be in the cache yet
            ctx.status["active"] = active - deleted
            ctx.terminating += deleted
            ctx.ready -= ready
            return error
        error = None
        managed = satisfied and "deletionTimestamp" not in job["metadata"]
        if managed:
            active, error = self.manage_job(ctx)
        ctx.status["active"] = active
        completions = job["spec"].get("completions")
        done = ctx.succeeded > 0 if completions is None else ctx.succeeded >= int(completions)
        if done and active == 0:
            ctx.finished = c.new_condition(c.SUCCESS_CRITERIA_MET, "True", *c.COMPLETIONS_REACHED,
                                           self.clock.rfc3339())
        elif managed:
            ctx.suspend_changed = self._suspend_condition(ctx)
        return error

    def _suspend_condition(self, ctx: SyncContext) -> bool:
        """The ``Suspended`` condition and its ``Suspended``/``Resumed`` events."""
        job, now = ctx.job, self.clock.rfc3339()
        conditions = ctx.status.setdefault("conditions", [])
        if job["spec"].get("suspend"):
            if c.ensure_status(conditions, c.SUSPENDED, "True", "JobSuspended", "Job suspended",
                               now):
                self.recorder.event(job, NORMAL, "Suspended", "Job suspended")
                return True
            return False
        if c.ensure_status(conditions, c.SUSPENDED, "False", "JobResumed", "Job resumed", now):
            self.recorder.event(job, NORMAL, "Resumed", "Job resumed")
            ctx.status["startTime"] = now  # activeDeadlineSeconds counts from the resume
            return True
        return False

    def _counters_changed(self, ctx: SyncContext, status_before: Obj | None) -> bool:
        before = status_before or {}
        ctx.status["ready"] = ctx.ready
        ctx.status["terminating"] = ctx.terminating
        return (ctx.suspend_changed or ctx.status["active"] != before.get("active", 0)
                or before.get("ready") != ctx.ready
                or before.get("terminating") != ctx.terminating)

    @staticmethod
    def _fail_job_message(job: Obj, pods: list[Obj]) -> str | None:
        """``getFailJobMessage``: a failed pod matching a FailJob rule."""
        policy = job["spec"].get("podFailurePolicy")
        if policy is None:
            return None
        for pod in pods:
            if jp.is_pod_failed(pod, job):
                message = match_pod_failure_policy(policy, pod)[0]
                if message is not None:
                    return message
        return None

    @staticmethod
    def _past_backoff_limit_on_failure(job: Obj, pods: list[Obj]) -> bool:
        """``pastBackoffLimitOnFailure``: container restarts of running pods
        count against backoffLimit when restartPolicy is OnFailure."""
        if (job["spec"]["template"].get("spec") or {}).get("restartPolicy") != "OnFailure":
            return False
        restarts = 0
        for pod in pods:
            if jp.phase(pod) in ("Running", "Pending"):
                status = pod.get("status") or {}
                for key in ("initContainerStatuses", "containerStatuses"):
                    restarts += sum(s.get("restartCount", 0) for s in status.get(key) or ())
        limit = int(job["spec"].get("backoffLimit", 6))
        return restarts > 0 if limit == 0 else restarts >= limit

    # -- orphans ---------------------------------------------------------------------------
    def sync_orphan_pod(self, key: str) -> None:
        """``syncOrphanPod``: release the finalizer of a pod no running Job owns."""
        ns, name = split_meta_namespace_key(key)
        pod = self.pod_indexer.get_by_key(key)
        if pod is None:
            return
        ref = controller_of(pod)
        if ref is not None:
            if ref.get("kind") != "Job" or ref.get("apiVersion") != "batch/v1":
                return
            job = self.resolve(ns, ref)
            if job is not None and not c.is_finished(job):
                return
        if jp.has_finalizer(pod):
            try:
                self.client.patch("pods", name, jp.REMOVE_FINALIZER_PATCH,
                                  "application/strategic-merge-patch+json", namespace=ns)
            except errors.StatusError as err:
                if err.code != 404:
                    raise
