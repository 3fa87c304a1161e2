"""The CronJob controller: create Jobs on schedule, on the engine clock.

Upstream: ``pkg/controller/cronjob/cronjob_controllerv2.go`` (``ControllerV2``:
``sync``, ``syncCronJob``, ``cleanupFinishedJobs``, ``removeOldestJobs``,
``deleteJob``, ``getJobsToBeReconciled`` and the handlers). ``sync``:

1. reconcile the active list with the Jobs it owns (``SawCompletedJob``,
   ``UnexpectedJob``, ``MissingJob``) and ``lastSuccessfulTime``;
2. delete finished Jobs beyond the history limits (``SuccessfulDelete``);
3. unless suspended: find the most recent missed activation; skip it when
   past ``startingDeadlineSeconds`` (``MissSchedule``) or already run, wait
   under Forbid while a Job is active (``JobAlreadyActive``), delete the
   active Jobs under Replace; create the Job (``SuccessfulCreate``
   ``Created job hello-28958640``) and record ``lastScheduleTime``;
4. write the status once, and look again 100 ms after the next activation.

Jobs are found through an index of their controller's name (upstream matches
the owner reference by name), never by listing the namespace.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from engine.api import errors, meta
from engine.api.validation.cronspec import CronError, time_zone_error
from engine.controllers.cronjob import jobs as cj_jobs
from engine.controllers.cronjob import times
from engine.controllers.cronjob.schedule import Schedule, parse
from engine.controllers.util.owners import controller_of
from engine.controllers.util.timeutil import parse_time
from engine.events.recorder import NORMAL, WARNING, EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.keys import tombstone_object

Obj = dict[str, Any]
COMPONENT = "cronjob-controller"
OWNER_NAME_INDEX = "cronjobControllerName"


def owner_name_index(job: Obj) -> list[str]:
    """File a Job under ``<namespace>/<controller name>`` (any controller kind)."""
    ref = controller_of(job)
    return [f"{job['metadata'].get('namespace', '')}/{ref.get('name', '')}"] if ref else []


def rfc1123z(at: float) -> str:
    """Go's ``time.RFC1123Z`` in UTC: ``Mon, 02 Jan 2006 15:04:05 +0000``."""
    return datetime.fromtimestamp(at, UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


class CronJobController(Controller):
    """``ControllerV2``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers)
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        cj_informer = factory.informer_for("cronjobs")
        job_informer = factory.informer_for("jobs", indexers={OWNER_NAME_INDEX: owner_name_index})
        self.cj_lister = cj_informer.lister()
        self.job_indexer = job_informer.get_indexer()
        self.informers += [cj_informer, job_informer]
        cj_informer.add_event_handler(_CronJobHandler(self))
        job_informer.add_event_handler(_JobHandler(self))

    def jobs_of(self, cj: Obj) -> list[Obj]:
        """``getJobsToBeReconciled``: Jobs whose controller reference names it."""
        m = cj["metadata"]
        return self.job_indexer.by_index(OWNER_NAME_INDEX, f"{m['namespace']}/{m['name']}")

    async def reconcile(self, key: str) -> float | None:
        """``sync``."""
        ns, name = split_meta_namespace_key(key)
        cached = self.cj_lister.get(ns, name)
        if cached is None:
            return None
        cj = meta.deep_copy(cached)
        jobs = self.jobs_of(cj)
        cleaned = self.cleanup_finished_jobs(cj, jobs)
        requeue, synced, error = self.sync_cron_job(cj, jobs)
        if cleaned or synced:
            self.client.update_status("cronjobs", cj)
        if requeue is not None:
            return max(requeue, 0.0)
        if error is not None:
            raise error
        return None

    # -- syncCronJob -------------------------------------------------------------------------
    def sync_cron_job(self, cj: Obj, jobs: list[Obj]) -> tuple[float | None, bool, Exception | None]:
        """(look again after, status changed, error)."""
        now = self.clock.now()
        changed = self._reconcile_active(cj, jobs)
        if "deletionTimestamp" in cj["metadata"]:
            return None, changed, None
        zone = cj["spec"].get("timeZone")
        if zone is not None and time_zone_error(zone) is not None:
            self.recorder.event(cj, WARNING, "UnknownTimeZone",
                                f'invalid timeZone: "{zone}": {time_zone_error(zone)}')
            return None, changed, None
        if cj["spec"].get("suspend"):
            return None, changed, None
        schedule = self._schedule(cj)
        if schedule is None:
            return None, changed, None
        try:
            scheduled, too_many = times.next_schedule_time(cj, now, schedule)
        except times.InvalidSchedule as err:
            self.recorder.event(cj, WARNING, "InvalidSchedule",
                                f"invalid schedule: {cj['spec']['schedule']} : {err}")
            return None, changed, None
        if too_many:
            self.recorder.event(cj, WARNING, "TooManyMissedTimes",
                                "too many missed start times. Set or decrease "
                                ".spec.startingDeadlineSeconds or check clock skew")
        if scheduled is None:
            return times.next_schedule_delay(cj, now, schedule), changed, None
        return self._start(cj, scheduled, now, schedule, changed)

    def _schedule(self, cj: Obj) -> Schedule | None:
        spec, unsupported = times.format_schedule(cj)
        if unsupported:
            self.recorder.event(cj, WARNING, "UnsupportedSchedule",
                                f'CRON_TZ or TZ used in schedule "{spec}" is not officially '
                                "supported, see https://kubernetes.io/docs/concepts/workloads/"
                                "controllers/cron-jobs/ for more details")
        try:
            return parse(spec)
        except CronError as err:
            self.recorder.event(cj, WARNING, "UnparseableSchedule",
                                f'unparseable schedule: "{cj["spec"].get("schedule")}" : {err}')
            return None

    def _start(self, cj: Obj, scheduled: float, now: float, schedule: Schedule,
               changed: bool) -> tuple[float | None, bool, Exception | None]:
        """Run the activation at ``scheduled``, unless a rule says not to."""
        later = times.next_schedule_delay(cj, now, schedule)
        deadline = cj["spec"].get("startingDeadlineSeconds")
        if deadline is not None and scheduled + int(deadline) < now:
            self.recorder.event(cj, WARNING, "MissSchedule",
                                f"Missed scheduled time to start a job: {rfc1123z(scheduled)}")
            return later, changed, None
        last = parse_time((cj.get("status") or {}).get("lastScheduleTime"))
        if cj_jobs.in_active_list_by_name(cj, cj_jobs.job_name(cj, scheduled)) or \
                last == scheduled:
            return later, changed, None
        policy = cj["spec"].get("concurrencyPolicy", "Allow")
        if policy == "Forbid" and (cj.get("status") or {}).get("active"):
            self.recorder.event(cj, NORMAL, "JobAlreadyActive",
                                "Not starting job because prior execution is running and "
                                "concurrency policy is Forbid")
            return later, changed, None
        if policy == "Replace" and (cj.get("status") or {}).get("active"):
            changed = True
            error = self._replace_active(cj)
            if error is not None:
                return None, changed, error
        return self._create(cj, scheduled, later, changed)

    def _replace_active(self, cj: Obj) -> Exception | None:
        for ref in list((cj.get("status") or {}).get("active") or ()):
            try:
                job = self.client.get("jobs", ref["name"], ref["namespace"])
            except errors.StatusError as err:
                self.recorder.event(cj, WARNING, "FailedGet", f"Get job: {err}")
                return err
            if not self.delete_job(cj, job):
                return errors.StatusError(500, "InternalError",
                                          f"could not replace job {ref['namespace']}/"
                                          f"{ref['name']}")
        return None

    def _create(self, cj: Obj, scheduled: float, later: float | None,
                changed: bool) -> tuple[float | None, bool, Exception | None]:
        body = cj_jobs.job_from_template(cj, scheduled)
        ns = cj["metadata"]["namespace"]
        try:
            job = self.client.create("jobs", body, namespace=ns)
            self.recorder.event(cj, NORMAL, "SuccessfulCreate",
                                f"Created job {job['metadata']['name']}")
        except errors.StatusError as err:
            causes = (err.details or {}).get("causes") or ()
            if any(c.get("reason") == "NamespaceTerminating" for c in causes):
                return None, changed, err
            if err.reason != "AlreadyExists":
                self.recorder.event(cj, WARNING, "FailedCreate", f"Error creating job: {err}")
                return None, changed, err
            job = self.client.get("jobs", body["metadata"]["name"], ns)
            ref = controller_of(job) or {}
            if ref.get("uid") != cj["metadata"]["uid"] or \
                    cj_jobs.in_active_list(cj, job["metadata"]["uid"]):
                return None, changed, None
        status = cj.setdefault("status", {})
        status.setdefault("active", []).append(cj_jobs.job_ref(job))
        status["lastScheduleTime"] = self.clock.rfc3339(scheduled)
        return later, True, None

    def _reconcile_active(self, cj: Obj, jobs: list[Obj]) -> bool:
        """The first half of ``syncCronJob``: the active list against the Jobs."""
        changed = False
        children = set()
        status = cj.setdefault("status", {})
        for job in jobs:
            uid = job["metadata"]["uid"]
            children.add(uid)
            found = cj_jobs.in_active_list(cj, uid)
            finished = cj_jobs.finished_condition(job)
            if not found and finished is None:
                fresh = self.client.get("cronjobs", cj["metadata"]["name"],
                                        cj["metadata"]["namespace"])
                if cj_jobs.in_active_list(fresh, uid):
                    cj.clear()
                    cj.update(fresh)
                    continue
                self.recorder.event(cj, WARNING, "UnexpectedJob",
                                    "Saw a job that the controller did not create or forgot: "
                                    f"{job['metadata']['name']}")
            elif found and finished is not None:
                cj_jobs.delete_from_active_list(cj, uid)
                self.recorder.event(cj, NORMAL, "SawCompletedJob",
                                    f"Saw completed job: {job['metadata']['name']}, "
                                    f"condition: {finished}")
                changed = True
            elif finished == "Complete":
                changed |= self._last_successful(status, job)
        for ref in list(status.get("active") or ()):
            if ref.get("uid") in children:
                continue
            try:
                self.client.get("jobs", ref["name"], ref["namespace"])
            except errors.StatusError as err:
                if err.code != 404:
                    raise
                self.recorder.event(cj, NORMAL, "MissingJob",
                                    f"Active job went missing: {ref['name']}")
                cj_jobs.delete_from_active_list(cj, ref["uid"])
                changed = True
        return changed

    @staticmethod
    def _last_successful(status: Obj, job: Obj) -> bool:
        """``lastSuccessfulTime``: the latest completion of a successful Job."""
        completed = (job.get("status") or {}).get("completionTime")
        current = status.get("lastSuccessfulTime")
        if completed is None:
            return False
        if current is None or (parse_time(completed) or 0) > (parse_time(current) or 0):
            status["lastSuccessfulTime"] = completed
            return True
        return False

    # -- history -------------------------------------------------------------------------------
    def cleanup_finished_jobs(self, cj: Obj, jobs: list[Obj]) -> bool:
        """``cleanupFinishedJobs``: keep the newest successful/failed Jobs."""
        spec = cj["spec"]
        succeeded_limit = spec.get("successfulJobsHistoryLimit")
        failed_limit = spec.get("failedJobsHistoryLimit")
        if succeeded_limit is None and failed_limit is None:
            return False
        succeeded = [j for j in jobs if cj_jobs.finished_condition(j) == "Complete"]
        failed = [j for j in jobs if cj_jobs.finished_condition(j) == "Failed"]
        changed = False
        for limit, finished in ((succeeded_limit, succeeded), (failed_limit, failed)):
            if limit is None or len(finished) <= int(limit):
                continue
            for job in cj_jobs.by_start_time(finished)[:len(finished) - int(limit)]:
                changed |= self.delete_job(cj, job)
        return changed

    def delete_job(self, cj: Obj, job: Obj) -> bool:
        """``deleteJob``: background deletion, out of the active list."""
        m = job["metadata"]
        try:
            self.client.delete("jobs", m["name"], namespace=m["namespace"],
                               propagation_policy="Background")
        except errors.StatusError as err:
            self.recorder.event(cj, WARNING, "FailedDelete", f"Deleted job: {err}")
            return False
        cj_jobs.delete_from_active_list(cj, m["uid"])
        self.recorder.event(cj, NORMAL, "SuccessfulDelete", f"Deleted job {m['name']}")
        return True


class _CronJobHandler(ResourceEventHandler):
    """``addCronJob`` / ``updateCronJob`` (a new schedule or time zone waits for
    its next activation) / ``deleteCronJob``."""

    def __init__(self, ctrl: CronJobController) -> None:
        self.ctrl = ctrl

    def on_add(self, cj: Obj) -> None:
        self.ctrl.enqueue(cj)

    def on_update(self, old: Obj, new: Obj) -> None:
        spec_changed = (old["spec"].get("schedule") != new["spec"].get("schedule")
                        or old["spec"].get("timeZone") != new["spec"].get("timeZone"))
        if spec_changed:
            try:
                schedule = parse(times.format_schedule(new)[0])
            except CronError:
                return
            delay = times.next_schedule_delay(new, self.ctrl.clock.now(), schedule)
            if delay is not None:
                self.ctrl.enqueue_after(new, max(delay, 0.0))
            return
        self.ctrl.enqueue(new)

    def on_delete(self, obj: Any) -> None:
        self.ctrl.enqueue(obj)


class _JobHandler(ResourceEventHandler):
    """``addJob`` / ``updateJob`` / ``deleteJob``: wake the owning CronJob."""

    def __init__(self, ctrl: CronJobController) -> None:
        self.ctrl = ctrl

    def _owner(self, job: Obj) -> Obj | None:
        ref = controller_of(job)
        if ref is None or ref.get("kind") != "CronJob":
            return None
        cj = self.ctrl.cj_lister.get(job["metadata"].get("namespace"), ref.get("name", ""))
        if cj is None or cj["metadata"].get("uid") != ref.get("uid"):
            return None
        return cj

    def on_add(self, job: Obj) -> None:
        if "deletionTimestamp" in job["metadata"]:
            self.on_delete(job)
            return
        cj = self._owner(job)
        if cj is not None:
            self.ctrl.enqueue(cj)

    def on_update(self, old: Obj, new: Obj) -> None:
        if old["metadata"].get("resourceVersion") == new["metadata"].get("resourceVersion"):
            return
        if controller_of(old) != controller_of(new):
            cj = self._owner(old)
            if cj is not None:
                self.ctrl.enqueue(cj)
        cj = self._owner(new)
        if cj is not None:
            self.ctrl.enqueue(cj)

    def on_delete(self, obj: Any) -> None:
        cj = self._owner(tombstone_object(obj))
        if cj is not None:
            self.ctrl.enqueue(cj)
