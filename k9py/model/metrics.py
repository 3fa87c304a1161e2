"""Resource usage for the pod and node views and the header, from ``metrics.k8s.io``.

k9s reads the metrics API (metrics-server's PodMetrics and NodeMetrics)
through its client (``internal/client/metrics.go``: ``FetchPodsMetricsMap``,
``FetchNodesMetricsMap``, ``ClusterLoad``) and shows ``n/a`` when the API is
absent. :class:`MetricsPoller` does the same through the
:class:`~k9py.client.ClusterClient` verbs, on its own thread (a list of
100,000 PodMetrics must never run on the UI thread), once per refresh
interval, and hands each changed :class:`Snapshot` to a callback.

Pod readings are asked only for the namespace the pod view shows (k9s
fetches them per namespace, too), and a slow pod list backs off: the next one
waits at least ``BACKOFF`` times as long as the last one took, so a huge
cluster's metrics never take more than a tenth of the API server's time.
Readings change once per metrics-server scrape (15 s), so most polls find
nothing new and cause no re-render.

The container view asks for one pod's readings per container (k9s's
container view shows ``PodMetrics.containers[].usage``): that pod's
PodMetrics alone is read (a ``get``, not a namespace list), every poll.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from k9py.quantity import parse_quantity

log = logging.getLogger(__name__)

POD_METRICS = "pods.metrics.k8s.io"
NODE_METRICS = "nodes.metrics.k8s.io"
BACKOFF = 10.0
# Nodes' allocatable rarely changes: the node list is read again only when the
# set of nodes with readings changes, or after this long.
ALLOCATABLE_TTL = 30.0
Usage = tuple[int, int]  # (millicores, bytes)
PodRef = tuple[str, str]  # (namespace, name)


class _NoPods:
    """The pod scope when no view shows pods: their readings are not fetched."""

    def __repr__(self) -> str:
        return "NO_PODS"


NO_PODS: Any = _NoPods()


def _milli(value: Any) -> int:
    """``Quantity.MilliValue()``: millicores, rounded up (``1500001n`` is 2m)."""
    return math.ceil(round(parse_quantity(value) * 1000, 6))


def _bytes(value: Any) -> int:
    return math.ceil(parse_quantity(value))


def usage_of(usage: Mapping[str, Any] | None) -> Usage:
    """One ``usage`` map (``{"cpu": "1234567n", "memory": "12345Ki"}``)."""
    usage = usage or {}
    return _milli(usage.get("cpu") or 0), _bytes(usage.get("memory") or 0)


def pod_usage(metrics: Mapping[str, Any]) -> Usage:
    """A PodMetrics' containers summed (k9s ``currentRes``)."""
    cpu = mem = 0
    for c in metrics.get("containers") or ():
        c_cpu, c_mem = usage_of(c.get("usage"))
        cpu, mem = cpu + c_cpu, mem + c_mem
    return cpu, mem


def container_usage(metrics: Mapping[str, Any]) -> dict[str, Usage]:
    """A PodMetrics' readings per container name."""
    return {c.get("name", ""): usage_of(c.get("usage"))
            for c in metrics.get("containers") or ()}


def percent(value: int, total: int) -> int | None:
    """k9s ``client.ToPercentage``: floor(value / total x 100); None without a total."""
    if not total:
        return None
    return math.floor(value / total * 100)


@dataclass(frozen=True)
class Snapshot:
    """The readings of one poll. ``available`` is False when the cluster has no
    metrics API (or it failed): every cell then reads ``n/a``."""

    available: bool = False
    nodes: Mapping[str, Usage] = field(default_factory=dict)
    allocatable: Mapping[str, Usage] = field(default_factory=dict)
    pods: Mapping[str, Usage] = field(default_factory=dict)  # "<ns>/<name>" ->
    pod_scope: Any = NO_PODS  # the namespace the pod readings cover (None: all)
    containers: Mapping[str, Usage] = field(default_factory=dict)  # container ->
    container_scope: PodRef | None = None  # the pod the container readings cover

    def pod(self, namespace: str, name: str) -> Usage | None:
        """A pod's usage; (0, 0) for a pod metrics-server has no reading of (k9s
        then shows 0), None when unknown (no API, or another namespace polled)."""
        if not self.available or self.pod_scope is NO_PODS or (
                self.pod_scope is not None and self.pod_scope != namespace):
            return None
        return self.pods.get(f"{namespace}/{name}", (0, 0))

    def container(self, namespace: str, pod: str, name: str) -> Usage | None:
        """One container's usage in the pod the container view shows; (0, 0)
        before metrics-server has a reading of it (k9s shows 0), None when
        unknown (no API, refused, or another pod polled)."""
        if not self.available or self.container_scope != (namespace, pod):
            return None
        return self.containers.get(name, (0, 0))

    def node(self, name: str) -> Usage | None:
        if not self.available:
            return None
        return self.nodes.get(name, (0, 0))

    def node_allocatable(self, name: str) -> Usage | None:
        return self.allocatable.get(name)

    def cluster_load(self) -> tuple[int | None, int | None]:
        """Cluster CPU and memory use in percent of what the nodes can allocate
        (k9s ``MetricsServer.ClusterLoad``: every node's usage summed over every
        node's allocatable)."""
        totals = self.cluster_usage()
        if totals is None:
            return None, None
        (cpu, mem), (a_cpu, a_mem) = totals
        return percent(cpu, a_cpu), percent(mem, a_mem)

    def cluster_usage(self) -> tuple[Usage, Usage] | None:
        """Every node's usage summed and every node's allocatable summed (k9s's
        recorder for the pulses charts), or None without the metrics API."""
        if not self.available:
            return None
        used = (sum(u[0] for u in self.nodes.values()), sum(u[1] for u in self.nodes.values()))
        alloc = (sum(a[0] for a in self.allocatable.values()),
                 sum(a[1] for a in self.allocatable.values()))
        return used, alloc


def changed_keys(old: Mapping[str, Usage], new: Mapping[str, Usage]) -> set[str]:
    """Keys whose reading appeared, changed or went away."""
    out = {k for k, v in new.items() if old.get(k) != v}
    out.update(k for k in old if k not in new)
    return out


class MetricsPoller:
    """Polls the metrics API on a daemon thread; ``on_update(snapshot, pods, nodes)``
    gets each new snapshot with the pod and node keys whose readings changed
    (called on the poller's thread: hand it to the UI with ``call_from_thread``)."""

    def __init__(self, client: Any, interval: float,
                 on_update: Callable[[Snapshot, set[str], set[str]], None]) -> None:
        self.client = client
        self.interval = interval
        self.on_update = on_update
        self.pod_scope: Any = NO_PODS  # set by the UI: the pod view's namespace
        self.container_scope: PodRef | None = None  # set by the UI: the container view's pod
        self.snapshot = Snapshot()
        self._wake = threading.Event()
        self._stopped = False
        self._pods_due = 0.0
        self._allocatable: dict[str, Usage] = {}
        self._allocatable_at = -ALLOCATABLE_TTL
        self._thread: threading.Thread | None = None

    def start(self) -> MetricsPoller:
        self._thread = threading.Thread(target=self._run, name="k9py-metrics", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def set_pod_scope(self, scope: Any) -> None:
        """Which namespace's pods to read (None: all, NO_PODS: none); a new scope
        is polled at once."""
        if scope != self.pod_scope:
            self.pod_scope = scope
            self._pods_due = 0.0
            self._wake.set()

    def set_container_scope(self, pod: PodRef | None) -> None:
        """Which pod's containers to read (None: none); a new pod is polled at once."""
        if pod != self.container_scope:
            self.container_scope = pod
            self._wake.set()

    def _run(self) -> None:
        while not self._stopped:
            try:
                self.poll_once()
            except Exception:  # never let the thread die; the next poll retries
                log.exception("metrics poll failed")
            self._wake.wait(self.interval)
            self._wake.clear()

    def poll_once(self) -> Snapshot:
        """One poll (also what tests call directly); publishes a changed snapshot."""
        old = self.snapshot
        new = self._read(old)
        if new != old:
            self.snapshot = new
            self.on_update(new, changed_keys(old.pods, new.pods),
                           changed_keys(old.nodes, new.nodes))
        return new

    def _read(self, old: Snapshot) -> Snapshot:
        try:
            node_items = self.client.list(NODE_METRICS)["items"]
        except Exception as err:  # 404 (no such API), 503 (metrics-server down), ...
            log.debug("no node metrics: %s", err)
            return Snapshot()
        nodes = {m["metadata"]["name"]: usage_of(m.get("usage")) for m in node_items}
        allocatable = self._read_allocatable(set(nodes))
        scope, pods = self.pod_scope, old.pods
        if scope is NO_PODS:
            pods = {}
        elif scope != old.pod_scope or time.monotonic() >= self._pods_due:
            try:
                pods = self._read_pods(scope)
            except Exception as err:  # e.g. 403: node readings only, pods n/a
                log.debug("no pod metrics: %s", err)
                pods, scope = {}, NO_PODS
        containers, pod = self._read_containers(self.container_scope)
        return Snapshot(True, nodes, allocatable, pods, scope, containers, pod)

    def _read_allocatable(self, names: set[str]) -> dict[str, Usage]:
        now = time.monotonic()
        if names - set(self._allocatable) or now - self._allocatable_at > ALLOCATABLE_TTL:
            allocatable = {}
            for n in self.client.list("nodes")["items"]:
                alloc = (n.get("status") or {}).get("allocatable") or {}
                allocatable[n["metadata"]["name"]] = usage_of(alloc)
            self._allocatable, self._allocatable_at = allocatable, now
        return self._allocatable

    def _read_containers(self, pod: PodRef | None) -> tuple[dict[str, Usage], PodRef | None]:
        """The container readings of one pod: none yet (404) reads as 0 per container,
        a refusal (403, 503) leaves the pod out, so its cells read n/a."""
        if pod is None:
            return {}, None
        namespace, name = pod
        try:
            return container_usage(self.client.get(POD_METRICS, name, namespace)), pod
        except Exception as err:
            if getattr(err, "code", None) == 404:  # not scraped yet (or the pod is gone)
                return {}, pod
            log.debug("no container metrics: %s", err)
            return {}, None

    def _read_pods(self, scope: str | None) -> dict[str, Usage]:
        start = time.monotonic()
        items = self.client.list(POD_METRICS, scope)["items"]
        pods = {f"{m['metadata']['namespace']}/{m['metadata']['name']}": pod_usage(m)
                for m in items}
        took = time.monotonic() - start
        self._pods_due = start + max(self.interval, BACKOFF * took)
        return pods
