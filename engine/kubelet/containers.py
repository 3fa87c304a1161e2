"""Starting one container: image, configuration, create, start.

Upstream: ``pkg/kubelet/kuberuntime/kuberuntime_container.go``
(``startContainer``) and ``pkg/kubelet/images/image_manager.go``
(``EnsureImageExists``), with their events, in order: ``Pulling``/``Pulled``
(or ``Container image "x" already present on machine``), ``Created``,
``Started``. A failed pull records ``Failed`` (``Failed to pull image "x":
...`` then ``Error: ErrImagePull``) and enters the image back-off (10 s
doubling to 5 min per pod and image); while it lasts the container waits in
``ImagePullBackOff`` (``BackOff`` ``Back-off pulling image "x"``, ``Error:
ImagePullBackOff``). A configuration that cannot be generated leaves it
waiting in ``CreateContainerConfigError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.kubelet import config, images
from engine.kubelet.behaviour import behaviour_for
from engine.kubelet.durations import go_duration, truncate_ms

if TYPE_CHECKING:
    from engine.kubelet.lifecycle import PodWorker
    from engine.kubelet.runtime import PullResult

Obj = dict[str, Any]

NORMAL, WARNING = "Normal", "Warning"
PLEG_RELIST = 1.0  # the kubelet notices runtime changes within a relist period
CONFIG_RETRY = 10.0  # a pod sync that failed is retried after backOffPeriod


@dataclass
class Track:
    """The kubelet's memory of one container of a pod (across its instances)."""

    name: str
    spec: Obj
    init: bool
    waiting_reason: str = ""
    waiting_message: str = ""
    starting: bool = False
    ready: bool = False
    started: bool = False
    pull_error: str = ""
    env: dict[str, str] = field(default_factory=dict)
    generation: int = 0  # bumped to abandon a start in flight
    restart_anyway: bool = False  # killed for a spec change: restart whatever the policy

    @property
    def sidecar(self) -> bool:
        return self.init and self.spec.get("restartPolicy") == "Always"

    @property
    def field_path(self) -> str:
        return f"spec.{'initContainers' if self.init else 'containers'}{{{self.name}}}"

    def wait(self, reason: str, message: str = "") -> None:
        self.waiting_reason, self.waiting_message = reason, message


def start(worker: PodWorker, track: Track) -> None:
    """Begin starting ``track``'s container (no-op while a start is in flight)."""
    if track.starting:
        return
    track.starting = True
    image = track.spec.get("image", "")
    try:
        ref = images.parse(image)
    except images.InvalidImageName as err:
        message = f'Failed to apply default image tag "{image}": {err}'
        worker.event(WARNING, "InspectFailed", message, track)
        worker.event(WARNING, "Failed", "Error: InvalidImageName", track)
        _fail(worker, track, "InvalidImageName", message, CONFIG_RETRY)
        return
    policy = track.spec.get("imagePullPolicy") or "IfNotPresent"
    present = worker.runtime.has_image(ref)
    if policy == "Never" or (policy == "IfNotPresent" and present):
        _use_local(worker, track, ref, present)
        return
    _pull(worker, track, ref)


def _use_local(worker: PodWorker, track: Track, ref: images.ImageRef, present: bool) -> None:
    image = track.spec.get("image", "")
    if present:
        worker.event(NORMAL, "Pulled", f'Container image "{image}" already present on machine',
                     track)
        _create(worker, track, ref)
        return
    message = f'Container image "{image}" is not present with pull policy of Never'
    worker.event(WARNING, "ErrImageNeverPull", message, track)
    worker.event(WARNING, "Failed", "Error: ErrImageNeverPull", track)
    _fail(worker, track, "ErrImageNeverPull", message, CONFIG_RETRY)


def _pull(worker: PodWorker, track: Track, ref: images.ImageRef) -> None:
    image = track.spec.get("image", "")
    key = f"{worker.uid}_{image}"
    backoff = worker.kubelet.manager.image_backoff
    now = worker.clock.now()
    if backoff.in_backoff_since_update(key, now):
        message = f'Back-off pulling image "{image}"'
        worker.event(NORMAL, "BackOff", message, track)
        worker.event(WARNING, "Failed", "Error: ImagePullBackOff", track)
        retry = backoff.last_update(key) + backoff.get(key) - now
        _fail(worker, track, "ImagePullBackOff", f"{message}: {track.pull_error}", retry)
        return
    worker.event(NORMAL, "Pulling", f'Pulling image "{image}"', track)
    generation = track.generation
    worker.runtime.pull(ref, lambda result: _pulled(worker, track, generation, result))


def _pulled(worker: PodWorker, track: Track, generation: int, result: PullResult) -> None:
    if not worker.alive or generation != track.generation:
        return
    image = track.spec.get("image", "")
    if result.error is not None:
        worker.event(WARNING, "Failed", f'Failed to pull image "{image}": {result.error}', track)
        worker.event(WARNING, "Failed", "Error: ErrImagePull", track)
        worker.kubelet.manager.image_backoff.next(f"{worker.uid}_{image}", worker.clock.now())
        track.pull_error = f"ErrImagePull: {result.error}"
        _fail(worker, track, "ErrImagePull", result.error, PLEG_RELIST)
        return
    took = go_duration(truncate_ms(result.seconds))
    total = go_duration(truncate_ms(result.total))
    worker.event(NORMAL, "Pulled", f'Successfully pulled image "{image}" in {took} ({total} '
                 f"including waiting). Image size: {result.size} bytes.", track)
    _create(worker, track, result.ref)


def _create(worker: PodWorker, track: Track, ref: images.ImageRef) -> None:
    pod, runtime = worker.pod, worker.runtime
    try:
        env = config.resolve_env(worker.lookup, pod, track.spec)
    except config.ConfigError as err:
        worker.event(WARNING, "Failed", f"Error: {err}", track)
        _fail(worker, track, "CreateContainerConfigError", str(err), CONFIG_RETRY)
        return
    latest = runtime.latest(worker.uid, track.name)
    attempt = latest.attempt + 1 if latest is not None else 0
    container = runtime.create(worker.uid, track.name, ref, behaviour_for(pod, track.spec, env),
                               attempt)
    worker.event(NORMAL, "Created", f"Created container {track.name}", track)
    runtime.start(container)
    worker.event(NORMAL, "Started", f"Started container {track.name}", track)
    track.wait("")
    track.starting = False
    track.env = env
    track.restart_anyway = False
    worker.container_started(track, container)


def _fail(worker: PodWorker, track: Track, reason: str, message: str, retry: float) -> None:
    track.wait(reason, message)
    track.starting = False
    worker.sandbox_reported = worker.sandbox_ready
    worker.changed()
    worker.sync_after(retry)
