"""The Job controller's event handlers.

Upstream: ``pkg/controller/job/job_controller.go`` (``addPod``, ``updatePod``,
``deletePod`` with creation/deletion and finalizer-removal expectations;
``addJob``/``updateJob``/``deleteJob``): a Job is synced at once when it is
created or its spec changes, one second after a pod or status change
(``enqueueSyncJobBatched``), and again when a changed
``activeDeadlineSeconds`` is due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.controllers.job import conditions as c
from engine.controllers.job import pods as jp
from engine.controllers.util.owners import controller_of
from engine.controllers.util.timeutil import parse_time
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.keys import meta_namespace_key, tombstone_object

if TYPE_CHECKING:
    from engine.controllers.job.controller import JobController

Obj = dict[str, Any]
BATCH = 1.0


class PodHandler(ResourceEventHandler):
    def __init__(self, ctrl: JobController) -> None:
        self.ctrl = ctrl

    def _orphan(self, pod: Obj) -> None:
        from engine.controllers.job.controller import ORPHAN_PREFIX

        self.ctrl.queue.add(ORPHAN_PREFIX + meta_namespace_key(pod))

    def on_add(self, pod: Obj) -> None:
        if "deletionTimestamp" in pod["metadata"]:
            self._deleted(pod, final=False)
            return
        ref = controller_of(pod)
        if ref is not None:
            job = self.ctrl.resolve(pod["metadata"].get("namespace", ""), ref)
            if job is not None:
                self.ctrl.expectations.creation_observed(meta_namespace_key(job))
                self.ctrl.enqueue_after(job, BATCH)
            return
        if jp.has_finalizer(pod):
            self._orphan(pod)
        for job in self.ctrl.jobs_for_pod(pod):
            self.ctrl.enqueue_after(job, BATCH)

    def on_update(self, old: Obj, new: Obj) -> None:
        om, nm = old["metadata"], new["metadata"]
        if om.get("resourceVersion") == nm.get("resourceVersion"):
            return
        if "deletionTimestamp" in nm:
            self._deleted(new, final=False)
            return
        removed = not jp.has_finalizer(new)
        ns = nm.get("namespace", "")
        old_ref, new_ref = controller_of(old), controller_of(new)
        for ref in ([old_ref] if old_ref is not None and old_ref != new_ref else []) + \
                ([new_ref] if new_ref is not None else []):
            job = self.ctrl.resolve(ns, ref)
            if job is None:
                continue
            if removed:
                self.ctrl.finalizer_expectations.observed(meta_namespace_key(job), nm["uid"])
            self.ctrl.enqueue_after(job, BATCH)
        if new_ref is not None:
            return
        if jp.has_finalizer(new):
            self._orphan(new)
        if om.get("labels") != nm.get("labels") or old_ref != new_ref:
            for job in self.ctrl.jobs_for_pod(new):
                self.ctrl.enqueue_after(job, BATCH)

    def on_delete(self, obj: Any) -> None:
        self._deleted(tombstone_object(obj), final=True)

    def _deleted(self, pod: Obj, final: bool) -> None:
        """``deletePod``."""
        ref = controller_of(pod)
        has_finalizer = jp.has_finalizer(pod)
        if ref is None:
            if has_finalizer:
                self._orphan(pod)
            return
        job = self.ctrl.resolve(pod["metadata"].get("namespace", ""), ref)
        if job is None or c.is_finished(job):
            if has_finalizer:
                self._orphan(pod)
            return
        key = meta_namespace_key(job)
        self.ctrl.expectations.deletion_observed(key, meta_namespace_key(pod))
        if final or not has_finalizer:
            self.ctrl.finalizer_expectations.observed(key, pod["metadata"]["uid"])
        self.ctrl.enqueue_after(job, BATCH)


class JobHandler(ResourceEventHandler):
    def __init__(self, ctrl: JobController) -> None:
        self.ctrl = ctrl

    def on_add(self, job: Obj) -> None:
        self.ctrl.enqueue(job)

    def on_update(self, old: Obj, new: Obj) -> None:
        if old["metadata"].get("generation") == new["metadata"].get("generation"):
            self.ctrl.enqueue_after(new, BATCH)
        else:
            self.ctrl.enqueue(new)
        if c.is_finished(new):
            self._cleanup_finalizers(new)
        start = parse_time((new.get("status") or {}).get("startTime"))
        deadline = new["spec"].get("activeDeadlineSeconds")
        if start is not None and deadline is not None and \
                old["spec"].get("activeDeadlineSeconds") != deadline:
            self.ctrl.enqueue_after(new, max(0.0, start + deadline - self.ctrl.clock.now()))

    def on_delete(self, obj: Any) -> None:
        job = tombstone_object(obj)
        self.ctrl.enqueue(job)
        self._cleanup_finalizers(job)

    def _cleanup_finalizers(self, job: Obj) -> None:
        """``cleanupPodFinalizers``: its pods that still carry the finalizer."""
        from engine.controllers.job.controller import ORPHAN_PREFIX

        uid = job["metadata"]["uid"]
        for pod in self.ctrl.pod_indexer.by_index("podControllerUID", uid):
            if jp.has_finalizer(pod):
                self.ctrl.queue.add(ORPHAN_PREFIX + meta_namespace_key(pod))
