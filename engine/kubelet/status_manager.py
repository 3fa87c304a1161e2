"""Writing pod statuses to the API, batched.

Upstream: ``pkg/kubelet/status/status_manager.go``. The kubelet changes a
pod's status in memory as often as it likes; the status manager writes the
newest version, keeping the conditions other components own (the
scheduler's, ``DisruptionTarget``, readiness-gate conditions), and writes
again if someone else changed what the kubelet owns. Once a deleted pod's
containers have all stopped and its terminal status is written, it deletes
the pod for good (grace period 0, uid precondition).

Here all kubelets share one manager: every change made during one turn of
the event loop is written once at the end of it, so a pod that goes through
several states at the same simulated instant costs one write.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.kubelet import status as pod_status

if TYPE_CHECKING:
    from engine.clock import Clock
    from engine.kubelet.lifecycle import PodWorker

Obj = dict[str, Any]
log = logging.getLogger(__name__)


class StatusManager:
    """Coalesces status changes of all pods into one write each per loop turn."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._dirty: dict[str, PodWorker] = {}
        self._scheduled = False
        self.writes = 0

    def mark(self, worker: PodWorker) -> None:
        self._dirty[worker.uid] = worker
        if not self._scheduled:
            self._scheduled = True
            self.clock.loop.call_soon(self.flush)

    def flush(self) -> None:
        self._scheduled = False
        dirty, self._dirty = self._dirty, {}
        for worker in dirty.values():
            if worker.alive and worker.kubelet.running:
                try:
                    self.sync(worker)
                except errors.StatusError as err:
                    log.info("status of %s not written: %s", worker.key, err)

    def sync(self, worker: PodWorker) -> None:
        """Write ``worker``'s status if it differs from the API's, then maybe delete."""
        if worker.frozen:
            self._maybe_delete(worker)
            return
        pod = worker.pod
        status = pod_status.generate(worker)
        if status != worker.sent or not worker.api_matches_sent():
            pod = self._write(worker, status)
            if pod is None:
                return
        self._maybe_delete(worker)

    def _write(self, worker: PodWorker, status: Obj) -> Obj | None:
        client = worker.kubelet.client
        pod = worker.pod
        for attempt in range(2):
            body = {**pod, "status": status}
            try:
                # owned: the API server copies the top level, metadata and
                # status before writing to them (``status`` is kept below to
                # compare with), takes the spec from the stored pod, and
                # ``written`` is the watchers' shared pod: read only here.
                written = client.update_status("pods", body, owned=True)
            except errors.StatusError as err:
                if err.code == 404:
                    worker.removed()
                    return None
                if err.reason != "Conflict" or attempt:
                    raise
                pod = client.get("pods", pod["metadata"]["name"], pod["metadata"]["namespace"])
                worker.observe(pod)
                status = pod_status.generate(worker)
                continue
            self.writes += 1
            worker.wrote(status, written)
            return written
        return None

    def _maybe_delete(self, worker: PodWorker) -> None:
        """``canBeDeleted``: terminal status written, containers gone: delete with grace 0."""
        if not worker.delete_when_written or worker.deleted_by_kubelet:
            return
        meta = worker.pod["metadata"]
        worker.deleted_by_kubelet = True
        try:
            worker.kubelet.client.delete("pods", meta["name"], namespace=meta["namespace"],
                                         grace_period_seconds=0,
                                         preconditions={"uid": worker.uid})
        except errors.StatusError as err:
            if err.code not in (404, 409):
                raise
