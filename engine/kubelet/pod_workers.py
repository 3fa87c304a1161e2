"""The kubelet's pod workers, and taking over pods that already run.

Upstream: ``pkg/kubelet/pod_workers.go`` (one worker per pod UID) and the
kubelet's start-up path: a kubelet that (re)starts lists the pods bound to
its node and the containers its runtime holds, and carries on from there -
containers that kept running while it was down are not restarted, pods the
API no longer has are killed, and pods whose runtime state is gone (the
bootstrap's system pods, a cluster restarted from its state directory) are
taken over from the status they report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.kubelet import admission, config, images, mirror
from engine.kubelet.behaviour import behaviour_for
from engine.kubelet.lifecycle import PodWorker, _epoch

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet
    from engine.kubelet.runtime import Container

Obj = dict[str, Any]

TERMINAL = ("Succeeded", "Failed")


class PodWorkers:
    """One :class:`PodWorker` per pod bound to the node."""

    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.runtime = kubelet.runtime
        self.workers: dict[str, PodWorker] = {}

    def __len__(self) -> int:
        return len(self.workers)

    def get(self, uid: str) -> PodWorker | None:
        return self.workers.get(uid)

    # -- from the informer --------------------------------------------------------------
    def update(self, pod: Obj) -> None:
        worker = self.workers.get(pod["metadata"]["uid"])
        if worker is not None:
            worker.update(pod)
            return
        worker = PodWorker(self.kubelet, pod)
        mirror.ensure_owner(self.kubelet, pod)
        if _has_history(pod):
            if self.runtime.containers.get(worker.uid):
                worker.resume_from_runtime()
            else:
                self._take_over(worker)
        elif self._reject(worker):
            return
        self.workers[worker.uid] = worker
        worker.start()

    def _reject(self, worker: PodWorker) -> bool:
        """``canAdmitPod``: a new pod that does not fit is Failed, never started."""
        if worker.pod["metadata"].get("deletionTimestamp"):
            return False
        active = [w.requests for w in self.workers.values() if not w.terminal]
        verdict = admission.check(self.kubelet, worker.pod, active, worker.requests)
        if verdict is None:
            return False
        reason, message = verdict
        worker.event("Warning", reason, message)
        worker.phase_override = "Failed"
        worker.pod_reason, worker.pod_message = reason, message
        worker.terminal = worker.rejected = True
        self.workers[worker.uid] = worker
        worker.changed()
        return True

    def remove(self, pod: Obj) -> None:
        worker = self.workers.pop(pod["metadata"]["uid"], None)
        if worker is not None:
            worker.removed()

    def container_exited(self, container: Container) -> None:
        worker = self.workers.get(container.pod_uid)
        if worker is not None and worker.alive:
            worker.container_exited(container)

    # -- kubelet start and stop ------------------------------------------------------------
    def adopt(self, pods: list[Obj]) -> None:
        """The kubelet (re)started: workers for its pods; kill what the API forgot."""
        known = {p["metadata"]["uid"] for p in pods}
        for uid in [u for u in self.runtime.containers if u not in known]:
            for instances in self.runtime.containers[uid].values():
                for container in instances:
                    self.runtime.kill_now(container)
            self.runtime.forget_pod(uid)
        for uid in [u for u in self.runtime.sandboxes if u not in known]:
            self.runtime.remove_sandbox(uid)
        for pod in list(pods):
            self.update(pod)

    def stop_all(self) -> None:
        for worker in self.workers.values():
            worker.halt()
        self.workers.clear()

    # -- taking over a pod without runtime state ------------------------------------------
    def _take_over(self, worker: PodWorker) -> None:
        status = worker.pod.get("status") or {}
        if status.get("phase") in TERMINAL:
            worker.frozen = worker.terminal = True
            if worker.pod["metadata"].get("deletionTimestamp"):
                worker.delete_when_written = True
            return
        ip = status.get("podIP")
        if ip and self.runtime.run_sandbox(worker.uid, bool(worker.spec.get("hostNetwork")),
                                           ip) is not None:
            worker.sandbox_ready = worker.sandbox_reported = True
        for key in ("initContainerStatuses", "containerStatuses"):
            for cs in status.get(key) or ():
                self._restore(worker, cs)

    def _restore(self, worker: PodWorker, cs: Obj) -> None:
        """Recreate a container instance the status says was running or finished."""
        track = worker.tracks.get(cs.get("name", ""))
        state = cs.get("state") or {}
        run, done = state.get("running"), state.get("terminated")
        if track is None or not (run or done):
            return
        try:
            ref = images.parse(track.spec.get("image", ""))
        except images.InvalidImageName:
            return
        self.runtime.images.setdefault(ref.normalized,
                                       _image(ref))
        try:
            env = config.resolve_env(worker.lookup, worker.pod, track.spec)
        except config.ConfigError:
            env = {}
        container = self.runtime.create(worker.uid, track.name, ref,
                                        behaviour_for(worker.pod, track.spec, env),
                                        int(cs.get("restartCount") or 0))
        track.env = env
        if run:
            self.runtime.start(container, at=_epoch(run.get("startedAt")) or worker.clock.now())
            track.started = bool(cs.get("started", True))
            track.ready = bool(cs.get("ready"))
            worker.container_started_adopted(track, container)
        else:
            container.started_at = _epoch(done.get("startedAt"))
            container.finished_at = _epoch(done.get("finishedAt")) or worker.clock.now()
            container.exit_code = int(done.get("exitCode") or 0)
            container.reason = done.get("reason") or ("Completed" if not container.exit_code
                                                      else "Error")


def _has_history(pod: Obj) -> bool:
    status = pod.get("status") or {}
    return bool(status.get("containerStatuses") or status.get("initContainerStatuses")
                or status.get("phase") in TERMINAL)


def _image(ref: images.ImageRef) -> Any:
    from engine.kubelet.runtime import Image

    return Image(ref, images.size_of(ref))
