"""The TTL-after-finished controller: delete finished Jobs when their TTL runs out.

Upstream: ``pkg/controller/ttlafterfinished/ttlafterfinished_controller.go``
(``processJob``, ``processTTL``, ``needsCleanup``, ``timeLeft``,
``jobFinishTime``). A Job with ``ttlSecondsAfterFinished`` whose Complete or
Failed condition turned True at t is deleted (foreground, with a uid
precondition) at t + TTL, after a fresh read confirms the TTL.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.job import conditions as c
from engine.controllers.util.timeutil import parse_time
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key

Obj = dict[str, Any]
COMPONENT = "ttl-after-finished-controller"


def needs_cleanup(job: Obj) -> bool:
    return job["spec"].get("ttlSecondsAfterFinished") is not None and c.is_finished(job)


def finish_time(job: Obj) -> float | None:
    """``jobFinishTime``: when Complete or Failed became True."""
    for cond in (job.get("status") or {}).get("conditions") or ():
        if cond.get("type") in (c.COMPLETE, c.FAILED) and cond.get("status") == "True":
            return parse_time(cond.get("lastTransitionTime"))
    return None


class TTLAfterFinishedController(Controller):
    """``ttlafterfinished.Controller``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers)
        self.client = client
        informer = factory.informer_for("jobs")
        self.job_lister = informer.lister()
        self.informers.append(informer)
        informer.add_event_handler(on_add=self._maybe_enqueue,
                                   on_update=lambda old, new: self._maybe_enqueue(new))

    def _maybe_enqueue(self, job: Obj) -> None:
        if "deletionTimestamp" not in job["metadata"] and needs_cleanup(job):
            self.enqueue(job)

    def time_left(self, job: Obj) -> float | None:
        """``processTTL``: None when not due for cleanup, else seconds left (<= 0: expired)."""
        if "deletionTimestamp" in job["metadata"] or not needs_cleanup(job):
            return None
        finished = finish_time(job)
        if finished is None:
            return None
        return finished + int(job["spec"]["ttlSecondsAfterFinished"]) - self.clock.now()

    async def reconcile(self, key: str) -> float | None:
        """``processJob``."""
        ns, name = split_meta_namespace_key(key)
        job = self.job_lister.get(ns, name)
        if job is None:
            return None
        left = self.time_left(job)
        if left is None:
            return None
        if left > 0:
            return left
        try:
            fresh = self.client.get("jobs", name, ns)
        except errors.StatusError as err:
            if err.code == 404:
                return None
            raise
        left = self.time_left(fresh)
        if left is None:
            return None
        if left > 0:
            return left
        self.client.delete("jobs", name, namespace=ns, propagation_policy="Foreground",
                           preconditions={"uid": fresh["metadata"]["uid"]})
        return None
