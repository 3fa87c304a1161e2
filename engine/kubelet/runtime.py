"""A simulated container runtime (containerd's role), one per node.

It outlives the kubelet that drives it, as containerd does: stopping a
node's kubelet leaves its containers running, they may exit meanwhile, and a
restarted kubelet finds them as they are (``pkg/kubelet/kuberuntime``
relists the runtime on start). It keeps:

* the node's images, pulled one at a time (the kubelet's default
  ``serializeImagePulls: true``): a pull that waits behind another reports
  the wait, as ``Successfully pulled image "x" in 1.2s (3.4s including
  waiting)``; an image whose layers are present only costs a manifest check;
* pod sandboxes with their IPs from the node's podCIDR (``host-local``), or
  the node's IP for ``hostNetwork`` pods;
* container instances, each with its :class:`~engine.kubelet.behaviour.Behaviour`:
  the runtime ends them when their behaviour says so, or on a stop request
  (SIGTERM, then SIGKILL when the grace period runs out), and tells its
  listener (the kubelet's PLEG) about each exit.

Everything happens on timers of the engine clock; nothing polls.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.bootstrap.nodes import NodeSpec
from engine.clock import Clock
from engine.kubelet import images
from engine.kubelet.behaviour import Behaviour
from engine.kubelet.ipam import AddressPool

SIGKILL_EXIT = 137
MAX_DEAD_PER_CONTAINER = 1  # the kubelet's container GC keeps the last dead instance


@dataclass
class Image:
    ref: images.ImageRef
    size: int


@dataclass
class PullResult:
    """What an image pull came to (the kubelet turns it into events)."""

    ref: images.ImageRef
    error: str | None
    seconds: float  # the pull itself
    total: float  # including the wait behind other pulls
    size: int


@dataclass
class Container:
    """One container instance (one attempt)."""

    id: str
    pod_uid: str
    name: str
    attempt: int
    image: images.ImageRef
    behaviour: Behaviour
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    reason: str | None = None
    signalled_at: float | None = None  # SIGTERM sent
    _timer: Any = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.finished_at is None

    @property
    def container_id(self) -> str:
        return f"containerd://{self.id}"


@dataclass
class Sandbox:
    uid: str
    ip: str
    host_network: bool
    created_at: float


class NodeRuntime:
    """containerd on one node."""

    def __init__(self, clock: Clock, spec: NodeSpec) -> None:
        self.clock = clock
        self.spec = spec
        self.images: dict[str, Image] = {}
        self.sandboxes: dict[str, Sandbox] = {}
        self.containers: dict[str, dict[str, list[Container]]] = {}
        self.pool = AddressPool(spec.pod_cidr)
        self.listener: Callable[[Container], None] | None = None
        self._puller_free_at = 0.0
        for ref, size in _preloaded():
            self.images[ref.normalized] = Image(ref, size)

    # -- images --------------------------------------------------------------------
    def has_image(self, ref: images.ImageRef) -> bool:
        return ref.normalized in self.images

    def pull(self, ref: images.ImageRef, done: Callable[[PullResult], None]) -> None:
        """Queue a pull behind any in progress; ``done`` runs when it ends."""
        now = self.clock.now()
        start = max(now, self._puller_free_at)
        error = images.pull_error(ref)
        if error is not None:
            seconds = images.pull_error_seconds(ref)
        elif self.has_image(ref):
            seconds = images.MANIFEST_CHECK_SECONDS
        else:
            seconds = images.pull_seconds(ref)
        self._puller_free_at = start + seconds
        result = PullResult(ref, error, seconds, start + seconds - now, images.size_of(ref))
        self.clock.call_later(start + seconds - now, self._pulled, result, done)

    def _pulled(self, result: PullResult, done: Callable[[PullResult], None]) -> None:
        if result.error is None:
            self.images[result.ref.normalized] = Image(result.ref, result.size)
        done(result)

    def image_list(self) -> list[dict[str, Any]]:
        """``status.images``: largest first, as the kubelet reports them."""
        ordered = sorted(self.images.values(), key=lambda i: (-i.size, i.ref.normalized))
        return [{"names": images.repo_tags(i.ref), "sizeBytes": i.size} for i in ordered]

    # -- sandboxes -----------------------------------------------------------------
    def run_sandbox(self, uid: str, host_network: bool, ip: str | None = None) -> Sandbox | None:
        """Create (or return) the pod's sandbox; None when the podCIDR is exhausted."""
        sandbox = self.sandboxes.get(uid)
        if sandbox is not None:
            return sandbox
        if host_network:
            ip = self.spec.internal_ip
        elif ip is None or not self.pool.reserve(ip, uid):
            ip = self.pool.allocate(uid)
            if ip is None:
                return None
        sandbox = self.sandboxes[uid] = Sandbox(uid, ip, host_network, self.clock.now())
        return sandbox

    def remove_sandbox(self, uid: str) -> None:
        """Tear down the sandbox and forget the pod's containers (pod cleanup)."""
        self.sandboxes.pop(uid, None)
        self.pool.release(uid)

    def forget_pod(self, uid: str) -> None:
        self.remove_sandbox(uid)
        for instances in self.containers.pop(uid, {}).values():
            for c in instances:
                _cancel(c)

    # -- containers ------------------------------------------------------------------
    def instances(self, uid: str, name: str) -> list[Container]:
        return self.containers.get(uid, {}).get(name, [])

    def latest(self, uid: str, name: str) -> Container | None:
        found = self.instances(uid, name)
        return found[-1] if found else None

    def create(self, uid: str, name: str, ref: images.ImageRef, behaviour: Behaviour,
               attempt: int) -> Container:
        cid = hashlib.sha256(f"{uid}/{name}/{attempt}".encode()).hexdigest()
        container = Container(cid, uid, name, attempt, ref, behaviour, self.clock.now())
        history = self.containers.setdefault(uid, {}).setdefault(name, [])
        history.append(container)
        del history[: -(MAX_DEAD_PER_CONTAINER + 1)]
        return container

    def start(self, container: Container, at: float | None = None) -> None:
        """Start ``container`` (``at`` an earlier start time, for adoption)."""
        container.started_at = self.clock.now() if at is None else at
        duration = container.behaviour.duration
        if duration is not None:
            b = container.behaviour
            self._exit_at(container, container.started_at + duration, b.exit_code, b.reason)

    def stop(self, container: Container, grace: float) -> None:
        """SIGTERM now; SIGKILL after ``grace`` seconds if it is still running."""
        if not container.running or container.signalled_at is not None:
            return
        now = container.signalled_at = self.clock.now()
        stop = container.behaviour.stop_seconds
        natural = _natural_end(container)
        if stop is not None and stop <= grace:
            at, code, reason = now + stop, 0, "Completed"
        else:
            at, code, reason = now + max(grace, 0.0), SIGKILL_EXIT, "Error"
        if natural is not None and natural[0] <= at:
            return  # it ends by itself first
        self._exit_at(container, at, code, reason)

    def kill_now(self, container: Container) -> None:
        """SIGKILL (pod force-deleted, node removed)."""
        if container.running:
            self._exit(container, SIGKILL_EXIT, "Error")

    def _exit_at(self, container: Container, at: float, code: int, reason: str) -> None:
        _cancel(container)
        delay = at - self.clock.now()
        if delay <= 0:
            container._timer = self.clock.call_later(0, self._exit, container, code, reason, at)
        else:
            container._timer = self.clock.call_later(delay, self._exit, container, code, reason)

    def _exit(self, container: Container, code: int, reason: str, at: float | None = None) -> None:
        if container.finished_at is not None:
            return
        container._timer = None
        container.finished_at = self.clock.now() if at is None else at
        container.exit_code = code
        container.reason = reason
        if self.listener is not None:
            self.listener(container)


@functools.cache
def _preloaded() -> tuple[tuple[images.ImageRef, int], ...]:
    return tuple((ref, images.size_of(ref)) for ref in map(images.parse, images.PRELOADED))


def _natural_end(container: Container) -> tuple[float, int] | None:
    b = container.behaviour
    if b.duration is None or container.started_at is None:
        return None
    return container.started_at + b.duration, b.exit_code


def _cancel(container: Container) -> None:
    if container._timer is not None:
        container._timer.cancel()
        container._timer = None
