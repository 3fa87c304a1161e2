"""One pod's life on its node: the kubelet's per-pod state machine.

Upstream: ``pkg/kubelet/pod_workers.go`` and ``kubelet.go`` (``SyncPod``,
``SyncTerminatingPod``), ``kuberuntime_manager.go`` (``computePodActions``,
``doBackOff``). A worker is level-triggered: :meth:`PodWorker.sync` looks at
the pod, the runtime and what the kubelet remembers, and takes the next
steps - wait for volumes, create the sandbox, run init containers one at a
time, start or restart containers - then asks to be synced again when
something is due (a back-off ending, a pull finishing, a container exiting).
Nothing polls: every wake-up is a timer on the engine clock.

Restarts follow the pod's ``restartPolicy``; a container that exits is seen
at the next PLEG relist (1 s later), restarted at once the first time, and
after that only when the crash back-off (10 s doubling to 5 min, counted
from when it finished) has passed - meanwhile it waits in
``CrashLoopBackOff``. A deleted pod's containers get ``preStop``, SIGTERM,
and SIGKILL when the grace period ends; then its terminal status is written
and the pod is deleted for good.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from engine.kubelet import containers, volumes
from engine.kubelet.containers import NORMAL, PLEG_RELIST, WARNING, Track
from engine.kubelet.durations import go_duration
from engine.kubelet.probes import ContainerProbes

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet
    from engine.kubelet.runtime import Container

Obj = dict[str, Any]

SANDBOX_SECONDS = 0.5  # RunPodSandbox with CNI set-up
HOST_NETWORK_SANDBOX_SECONDS = 0.1
BACKOFF_RESYNC = 10.0  # a pod in back-off is synced (and reports BackOff) this often
MOUNT_RECHECK = 2.0
MIN_GRACE = 2.0  # minimumGracePeriodInSeconds after a preStop hook


class PodWorker:
    """The kubelet's worker for one pod."""

    def __init__(self, kubelet: Kubelet, pod: Obj) -> None:
        self.kubelet = kubelet
        self.clock = kubelet.clock
        self.runtime = kubelet.runtime
        self.pod = pod
        self._pod_rv = _rv(pod)  # ``pod``'s resourceVersion, parsed once per version
        meta = pod["metadata"]
        self.uid = meta["uid"]
        self.key = f"{meta['namespace']}/{meta['name']}"
        self.alive = True
        self.tracks: dict[str, Track] = {}
        self._refresh_tracks(pod)
        self.start_time = _epoch((pod.get("status") or {}).get("startTime")) or self.clock.now()
        self.terminal = False
        self.terminating = False
        self.frozen = False  # a finished pod found without runtime state: left as it is
        self.phase_override = ""
        self.rejected = False
        self._requests: dict[str, float] | None = None
        self.pod_reason = self.pod_message = ""
        self.sandbox_ready = False
        self.sandbox_reported = False
        self.initialized = False
        self._sandbox_pending = False
        self._mount: dict[str, float] | None = None
        self._timer: Any = None
        self._due = math.inf
        self._deadline: Any = None
        self.probes: dict[str, ContainerProbes] = {}
        self.sent: Obj | None = None
        self.sent_rv = ""
        self.sent_result: Obj | None = None
        self.delete_when_written = False
        self.deleted_by_kubelet = False

    # -- small helpers -----------------------------------------------------------------
    @property
    def pod_ip(self) -> str | None:
        sandbox = self.runtime.sandboxes.get(self.uid)
        return sandbox.ip if sandbox is not None else None

    @property
    def reported_ip(self) -> str | None:
        """The IP once the kubelet has reported on the sandbox: upstream's pod
        worker is busy pulling and starting while the sandbox is new, so the
        status that shows it is the one that shows the containers started."""
        return self.pod_ip if self.sandbox_reported else None

    @property
    def spec(self) -> Obj:
        return self.pod["spec"]

    @property
    def requests(self) -> dict[str, float]:
        """The pod's resource requests (for admission), computed once."""
        if self._requests is None:
            from engine.kubelet.admission import pod_requests

            self._requests = pod_requests(self.pod)
        return self._requests

    def lookup(self, kind: str, namespace: str, name: str) -> Obj | None:
        return self.kubelet.manager.lookup(kind, namespace, name)

    def event(self, event_type: str, reason: str, message: str, track: Track | None = None) -> None:
        path = track.field_path if track is not None else ""
        self.kubelet.recorder.event(self.pod, event_type, reason, message, field_path=path)

    def changed(self) -> None:
        self.kubelet.manager.statuses.mark(self)

    def sync_after(self, delay: float) -> None:
        due = self.clock.monotonic() + max(delay, 0.0)
        if self._timer is not None and self._due <= due:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._due = due
        self._timer = self.clock.call_later(max(delay, 0.0), self.sync)

    def sync_soon(self) -> None:
        self.sync_after(0.0)

    # -- API object updates ----------------------------------------------------------------
    def observe(self, pod: Obj) -> None:
        """Take the newer of ``pod`` and what the worker has."""
        rv = _rv(pod)
        if rv >= self._pod_rv:
            self.pod, self._pod_rv = pod, rv

    def update(self, pod: Obj) -> None:
        """A new version of the pod from the API."""
        old = self.pod
        self.observe(pod)
        if self.pod is not pod:
            return
        if pod["metadata"].get("deletionTimestamp") and not self.terminating:
            self.sync_soon()
        if old["spec"] is not pod["spec"] and _images(old) != _images(pod):
            self._refresh_tracks(pod)
            self._restart_changed()
        if pod["metadata"]["resourceVersion"] != self.sent_rv and not self.api_matches_sent():
            self.changed()  # someone else changed what the kubelet reports

    def api_matches_sent(self) -> bool:
        return self.sent_result is not None and (self.pod.get("status") == self.sent_result)

    def wrote(self, status: Obj, written: Obj) -> None:
        self.sent = status
        self.sent_rv = written["metadata"]["resourceVersion"]
        self.sent_result = written.get("status")
        self.observe(written)

    def _refresh_tracks(self, pod: Obj) -> None:
        for init, key in ((True, "initContainers"), (False, "containers")):
            for spec in pod["spec"].get(key) or ():
                track = self.tracks.get(spec["name"])
                if track is None:
                    self.tracks[spec["name"]] = Track(spec["name"], spec, init)
                else:
                    track.spec = spec

    def _restart_changed(self) -> None:
        """``computePodActions``: a container whose image changed is restarted."""
        for track in self.tracks.values():
            current = self.runtime.latest(self.uid, track.name)
            if current is None or not current.running:
                continue
            if current.image.original != track.spec.get("image"):
                self.event(NORMAL, "Killing",
                           f"Container {track.name} definition changed, will be restarted", track)
                track.restart_anyway = True
                self.runtime.stop(current, self._grace())

    # -- starting -----------------------------------------------------------------------------
    def start(self) -> None:
        """A pod newly bound to this node."""
        self.changed()
        self._arm_deadline()
        self.sync()

    def _arm_deadline(self) -> None:
        deadline = self.spec.get("activeDeadlineSeconds")
        if isinstance(deadline, int) and self._deadline is None:
            delay = self.start_time + deadline - self.clock.now()
            self._deadline = self.clock.call_later(delay, self._deadline_exceeded)

    def _deadline_exceeded(self) -> None:
        """``activeDeadlineSeconds`` passed: kill everything, phase Failed."""
        if not self.alive or self.terminal:
            return
        message = "Pod was active on the node longer than the specified deadline"
        self.event(WARNING, "DeadlineExceeded", message)
        self.pod_reason, self.pod_message = "DeadlineExceeded", message
        self.phase_override = "Failed"
        self._stop_containers("")
        self._finish()

    # -- the sync ------------------------------------------------------------------------------
    def sync(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._due = None, math.inf
        if not self.alive or self.frozen:
            return
        if self.pod["metadata"].get("deletionTimestamp"):
            self._terminate()
            return
        if self.terminal or not self._volumes_ready():
            return
        if not self.sandbox_ready:
            self._create_sandbox()
            return
        if self._run_init_containers():
            self._run_containers()
        self.changed()

    def _volumes_ready(self) -> bool:
        problem = volumes.check(self.lookup, self.pod)
        if problem is None:
            self._mount = None
            return True
        now = self.clock.now()
        if self._mount is None:
            first = volumes.MOUNT_TIMEOUT if problem.pvc else 0.0
            self._mount = {"next": now + first, "retry": volumes.RETRY_INITIAL}
            self.changed()
        if now >= self._mount["next"]:
            self.event(WARNING, "FailedMount", problem.message)
            if problem.pvc:
                self._mount["next"] = now + volumes.MOUNT_TIMEOUT
            else:
                self._mount["next"] = now + self._mount["retry"]
                self._mount["retry"] = min(self._mount["retry"] * 2, volumes.RETRY_MAX)
        self.sync_after(min(MOUNT_RECHECK, self._mount["next"] - now))
        return False

    def _create_sandbox(self) -> None:
        if self._sandbox_pending:
            return
        self._sandbox_pending = True
        host = bool(self.spec.get("hostNetwork"))
        delay = HOST_NETWORK_SANDBOX_SECONDS if host else SANDBOX_SECONDS
        self.clock.call_later(delay, self._sandbox_created, host)

    def _sandbox_created(self, host_network: bool) -> None:
        self._sandbox_pending = False
        if not self.alive or self.terminating or self.terminal:
            return
        if self.runtime.run_sandbox(self.uid, host_network) is None:
            cidr = self.kubelet.spec.pod_cidr
            self.event(WARNING, "FailedCreatePodSandBox",
                       "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to "
                       "setup network for sandbox: plugin type=\"ptp\" failed (add): failed to "
                       f"allocate for range 0: no IP addresses available in range set: {cidr}")
            self.sync_after(containers.CONFIG_RETRY)
            return
        self.sandbox_ready = True
        self.sync()

    def _run_init_containers(self) -> bool:
        """Init containers one at a time; True once all are done (sidecars started).
        Once the pod is initialized, sidecars that exit are restarted alongside."""
        if self.initialized:
            for track in self._tracks(init=True):
                current = self.runtime.latest(self.uid, track.name)
                if track.sidecar and current is not None and not current.running:
                    self._restart(track, current)
            return True
        for track in self._tracks(init=True):
            current = self.runtime.latest(self.uid, track.name)
            if current is None:
                containers.start(self, track)
                return False
            if track.sidecar:
                if not current.running:
                    self._restart(track, current)
                    return False
                if not track.started:
                    return False
                continue
            if current.running:
                return False
            if current.exit_code == 0:
                continue
            if self.spec.get("restartPolicy") == "Never":
                self._finish()
            else:
                self._restart(track, current)
            return False
        self.initialized = True
        return True

    def _run_containers(self) -> None:
        policy = self.spec.get("restartPolicy") or "Always"
        done = True
        for track in self._tracks(init=False):
            current = self.runtime.latest(self.uid, track.name)
            if current is None:
                containers.start(self, track)
                done = False
            elif current.running:
                done = False
            elif track.restart_anyway or _should_restart(policy, current.exit_code):
                self._restart(track, current)
                done = False
        if done:
            self._finish()

    def _restart(self, track: Track, current: Container) -> None:
        """``doBackOff``: restart now, or wait in CrashLoopBackOff."""
        if track.starting:
            return
        backoff = self.kubelet.manager.crash_backoff
        key = f"{self.uid}/{track.name}"
        now = self.clock.now()
        finished = current.finished_at or now
        if track.restart_anyway or not backoff.in_backoff_since(key, finished, now):
            if not track.restart_anyway:
                backoff.next(key, finished)
            containers.start(self, track)
            return
        meta = self.pod["metadata"]
        pod_ref = f"{meta['name']}_{meta['namespace']}({self.uid})"
        track.wait("CrashLoopBackOff", f"back-off {go_duration(backoff.get(key))} restarting "
                   f"failed container={track.name} pod={pod_ref}")
        self.event(WARNING, "BackOff",
                   f"Back-off restarting failed container {track.name} in pod {pod_ref}", track)
        release = backoff.release_at(key, finished) - now
        self.sync_after(min(release, BACKOFF_RESYNC))

    def _finish(self) -> None:
        """Every container is done and none restarts: the pod is terminal."""
        self.terminal = True
        self._stop_probes()
        for track in self._tracks(init=True):
            current = self.runtime.latest(self.uid, track.name)
            if track.sidecar and current is not None and current.running:
                self.runtime.stop(current, self._grace())
        self.runtime.remove_sandbox(self.uid)
        self.sandbox_ready = False
        self.changed()

    def _tracks(self, init: bool) -> list[Track]:
        key = "initContainers" if init else "containers"
        return [self.tracks[c["name"]] for c in self.spec.get(key) or ()]

    # -- containers running -------------------------------------------------------------------
    def container_started(self, track: Track, container: Container) -> None:
        self.sandbox_reported = True
        track.started = not track.spec.get("startupProbe")
        track.ready = track.started and not track.spec.get("readinessProbe")
        probes = self.probes.pop(track.name, None)
        if probes is not None:
            probes.stop()
        if any(track.spec.get(k) for k in ("startupProbe", "livenessProbe", "readinessProbe")):
            probes = self.probes[track.name] = ContainerProbes(self, track, container)
            probes.start()
        self.changed()
        if track.sidecar:
            self.sync_soon()

    def container_started_adopted(self, track: Track, container: Container) -> None:
        """Probes for a container found running when the kubelet took the pod over."""
        if any(track.spec.get(k) for k in ("startupProbe", "livenessProbe", "readinessProbe")):
            probes = self.probes[track.name] = ContainerProbes(self, track, container)
            probes.start(resume=True)
        if not track.init:
            self.initialized = True

    def resume_from_runtime(self) -> None:
        """A restarted kubelet finds this pod's containers in the runtime: running
        ones count as started (they began before the kubelet; prober manager), and
        ready unless a readiness probe must say so again."""
        if self.uid in self.runtime.sandboxes:
            self.sandbox_ready = self.sandbox_reported = True
        for track in self.tracks.values():
            current = self.runtime.latest(self.uid, track.name)
            if current is None:
                continue
            if not track.init:
                self.initialized = True
            if current.running:
                track.started = True
                track.ready = not track.spec.get("readinessProbe")
                self.container_started_adopted(track, current)

    def container_exited(self, container: Container) -> None:
        """The runtime says a container ended (the PLEG's ContainerDied)."""
        track = self.tracks.get(container.name)
        if track is not None:
            track.ready = track.started = False
            probes = self.probes.pop(track.name, None)
            if probes is not None:
                probes.stop()
        if not self._ends_pod():
            self.changed()  # the pod's last exit is reported with the sandbox torn down
        self.sync_after(0.0 if self.terminating else PLEG_RELIST)

    def _ends_pod(self) -> bool:
        """Whether no regular container runs or will restart any more."""
        if self.terminating:
            return False
        policy = self.spec.get("restartPolicy") or "Always"
        for track in self._tracks(init=False):
            current = self.runtime.latest(self.uid, track.name)
            if current is None or current.running or track.restart_anyway:
                return False
            if _should_restart(policy, current.exit_code):
                return False
        return True

    def kill_for_probe(self, track: Track, container: Container, probe: str,
                       grace: int | None) -> None:
        self.event(NORMAL, "Killing",
                   f"Container {track.name} failed {probe} probe, will be restarted", track)
        self.runtime.stop(container, float(grace) if grace is not None else self._grace())

    # -- termination ------------------------------------------------------------------------------
    def _grace(self) -> float:
        meta, spec = self.pod["metadata"], self.pod["spec"]
        grace = meta.get("deletionGracePeriodSeconds")
        if grace is None:
            grace = spec.get("terminationGracePeriodSeconds")
        return float(30 if grace is None else grace)

    def _terminate(self) -> None:
        """``SyncTerminatingPod``: stop everything, then report and delete."""
        if not self.terminating:
            self.terminating = True
            self._stop_probes()
            self._stop_containers("Stopping container {name}")
            self.changed()
        if any(c.running for c in self._current()):
            return
        if not self.terminal:
            self.terminal = True
            self.runtime.remove_sandbox(self.uid)
            self.sandbox_ready = False
        self.delete_when_written = True
        self.changed()

    def _stop_containers(self, message: str) -> None:
        grace = self._grace()
        ordered = self._tracks(init=False) + list(reversed(self._tracks(init=True)))
        for track in ordered:
            track.generation += 1
            track.starting = False
            current = self.runtime.latest(self.uid, track.name)
            if current is None or not current.running:
                continue
            if message:
                self.event(NORMAL, "Killing", message.format(name=track.name), track)
            hook = _pre_stop_seconds(track.spec, grace)
            if hook:
                remaining = max(grace - hook, MIN_GRACE)
                self.clock.call_later(hook, self.runtime.stop, current, remaining)
            else:
                self.runtime.stop(current, grace)

    def _current(self) -> list[Container]:
        found = (self.runtime.latest(self.uid, name) for name in self.tracks)
        return [c for c in found if c is not None]

    def _stop_probes(self) -> None:
        for probes in self.probes.values():
            probes.stop()
        self.probes.clear()

    def removed(self) -> None:
        """The pod is gone from the API: kill what runs and forget it."""
        self.halt()
        for container in self._current():
            self.runtime.kill_now(container)
        self.runtime.forget_pod(self.uid)
        self.kubelet.manager.crash_backoff.forget(self.uid)
        self.kubelet.manager.image_backoff.forget(self.uid)

    def halt(self) -> None:
        """Stop all timers (the kubelet stopped, or the pod is gone)."""
        self.alive = False
        self._stop_probes()
        for timer in (self._timer, self._deadline):
            if timer is not None:
                timer.cancel()
        self._timer = self._deadline = None


def _should_restart(policy: str, exit_code: int | None) -> bool:
    return policy == "Always" or (policy == "OnFailure" and exit_code != 0)


def _pre_stop_seconds(spec: Obj, grace: float) -> float:
    """How long the preStop hook takes (exec scripts that sleep, the sleep action)."""
    from engine.kubelet.script import Shell

    hook = ((spec.get("lifecycle") or {}).get("preStop")) or {}
    if hook.get("sleep"):
        seconds = float(hook["sleep"].get("seconds") or 0)
    elif hook.get("exec"):
        run = Shell({}, "").execute_argv(list(hook["exec"].get("command") or []))
        seconds = grace if run.duration is None else run.duration
    else:
        seconds = 0.0
    return min(seconds, grace)


def _images(pod: Obj) -> list[str]:
    spec = pod["spec"]
    return [c.get("image", "") for key in ("initContainers", "containers")
            for c in spec.get(key) or ()]


def _rv(obj: Obj) -> int:
    try:
        return int(obj["metadata"].get("resourceVersion") or 0)
    except ValueError:
        return 0


def _epoch(stamp: str | None) -> float | None:
    if not stamp:
        return None
    try:
        parsed = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return parsed.timestamp()
