"""Container probes: startup, liveness and readiness.

Upstream: ``pkg/kubelet/prober`` (``worker.go``, ``prober.go``). Each probe
of a running container fires ``initialDelaySeconds`` after the container
started and then every ``periodSeconds``; a result only counts once it has
repeated ``successThreshold`` (successes) or ``failureThreshold`` (failures)
times in a row. Every failure records ``Unhealthy`` (``Readiness probe
failed: HTTP probe failed with statuscode: 503``). Until the startup probe
succeeds the others do not run and the container is not ``started``; a
readiness result sets the container's ``ready``; a liveness or startup
failure kills the container (``Killing``: ``Container x failed liveness
probe, will be restarted``) with the probe's or the pod's grace period, and
the pod's restart policy decides what happens next.

What a probe sees comes from the container's behaviour
(:mod:`engine.kubelet.behaviour`): HTTP and TCP probes reach a server on the
ports it listens on once its slow start is over (else "connection
refused"); nginx and httpd answer 404 for paths they do not serve; ``exec``
probes run through the simulated shell against the files the container's
script created (``cat /tmp/healthy``); unknown probe commands succeed; the
``k9py.dev/fail-*`` annotations make probes fail on purpose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.kubelet.script import Shell

if TYPE_CHECKING:
    from engine.kubelet.containers import Track
    from engine.kubelet.lifecycle import PodWorker
    from engine.kubelet.runtime import Container

Obj = dict[str, Any]

KINDS = {"startup": "startupProbe", "liveness": "livenessProbe", "readiness": "readinessProbe"}
TITLES = {"startup": "Startup", "liveness": "Liveness", "readiness": "Readiness"}


class ContainerProbes:
    """The prober workers of one container instance."""

    def __init__(self, worker: PodWorker, track: Track, container: Container) -> None:
        self.worker = worker
        self.track = track
        self.container = container
        self.clock = worker.clock
        self._timers: dict[str, Any] = {}
        self._runs: dict[str, tuple[bool, int]] = {}
        self._results: dict[str, bool] = {}

    def start(self, resume: bool = False) -> None:
        """Begin probing; ``resume`` for a container that was already running."""
        if resume and self.track.started:
            self._results["readiness"] = self.track.ready
            self._start_main()
        elif self._probe("startup"):
            self._schedule("startup", self._delay("startup"))
        else:
            self._start_main()

    def stop(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    def _probe(self, kind: str) -> Obj | None:
        return self.track.spec.get(KINDS[kind])

    def _start_main(self) -> None:
        for kind in ("readiness", "liveness"):
            if self._probe(kind):
                self._schedule(kind, self._delay(kind))

    def _delay(self, kind: str) -> float:
        elapsed = self.clock.now() - (self.container.started_at or self.clock.now())
        return max(float(self._probe(kind).get("initialDelaySeconds") or 0) - elapsed, 0.0)

    def _schedule(self, kind: str, delay: float) -> None:
        self._timers[kind] = self.clock.call_later(delay, self._fire, kind)

    def _fire(self, kind: str) -> None:
        self._timers.pop(kind, None)
        if not (self.worker.alive and self.container.running):
            return
        probe = self._probe(kind)
        if probe is None:
            return
        self._schedule(kind, float(probe.get("periodSeconds") or 10))
        ok, output = evaluate(self.worker, self.track, self.container, probe, kind)
        if not ok:
            self.worker.event("Warning", "Unhealthy", f"{TITLES[kind]} probe failed: {output}",
                              self.track)
        if self._counts(kind, ok, probe):
            self._apply(kind, ok, probe)

    def _counts(self, kind: str, ok: bool, probe: Obj) -> bool:
        """Whether the result changes the probe's standing (thresholds met)."""
        last, run = self._runs.get(kind, (ok, 0))
        run = run + 1 if last == ok else 1
        self._runs[kind] = (ok, run)
        needed = int(probe.get("successThreshold" if ok else "failureThreshold") or 1)
        if run < needed:
            return False
        changed = self._results.get(kind) != ok
        self._results[kind] = ok
        return changed

    def _apply(self, kind: str, ok: bool, probe: Obj) -> None:
        track = self.track
        if kind == "readiness":
            track.ready = ok and track.started
            self.worker.changed()
        elif kind == "startup" and ok:
            self.stop()
            track.started = True
            track.ready = not self._probe("readiness")
            self._start_main()
            self.worker.changed()
            self.worker.sync_soon()
        elif not ok:
            self.stop()
            grace = probe.get("terminationGracePeriodSeconds")
            self.worker.kill_for_probe(track, self.container, TITLES[kind].lower(), grace)


def evaluate(worker: PodWorker, track: Track, container: Container, probe: Obj,
             kind: str) -> tuple[bool, str]:
    """One probe attempt: (success, output)."""
    b = container.behaviour
    offset = worker.clock.now() - (container.started_at or 0.0)
    fail_from = {"readiness": b.fail_readiness_after, "liveness": b.fail_liveness_after}.get(kind)
    forced = fail_from is not None and offset >= fail_from
    host = worker.pod_ip or ""
    if probe.get("exec"):
        return _exec(track, b, probe["exec"].get("command") or [], offset, forced, worker)
    action = probe.get("httpGet") or probe.get("tcpSocket") or probe.get("grpc") or {}
    port = _port(action.get("port"), track.spec)
    target = f"{action.get('host') or host}:{port}"
    up = port is not None and b.listening(offset) and (b.ports is None or port in b.ports)
    refused = f"dial tcp {target}: connect: connection refused"
    if probe.get("httpGet"):
        path = action.get("path") or "/"
        url = f"{(action.get('scheme') or 'HTTP').lower()}://{target}{_slash(path)}"
        if not up:
            return False, f'Get "{url}": {refused}'
        if forced:
            return False, "HTTP probe failed with statuscode: 503"
        if b.http_paths is not None and path.split("?", 1)[0] not in b.http_paths:
            return False, "HTTP probe failed with statuscode: 404"
        return True, ""
    if probe.get("grpc"):
        if not up:
            timeout = probe.get("timeoutSeconds") or 1
            return False, f'timeout: failed to connect service "{target}" within {timeout}s'
        return (False, 'service unhealthy (responded with "NOT_SERVING")') if forced else (True, "")
    return (False, refused) if (not up or forced) else (True, "")


def _exec(track: Track, b: Any, command: list[str], offset: float, forced: bool,
          worker: PodWorker) -> tuple[bool, str]:
    if forced or offset < b.ready_after:
        return False, ""
    shell = Shell(track.env, worker.pod["metadata"]["name"])
    shell.files = {path: b.file_exists(path, offset) for _at, path, _state in b.run.files}
    run = shell.execute_argv(list(command))
    if run.server or run.exit_code == 0:
        return True, ""
    return False, "\n".join(text for _t, text in run.lines)


def _port(value: Any, spec: Obj) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        for port in spec.get("ports") or ():
            if port.get("name") == value:
                return port.get("containerPort")
    return None


def _slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path
