"""What the scheduler precomputes about a pod, once.

Upstream: ``pkg/scheduler/framework/types.go`` (``PodInfo`` with its parsed
required/preferred (anti-)affinity terms, ``AffinityTerm.Matches``,
``QueuedPodInfo``). Requests are integers (see :mod:`.resources`), host
ports a list of ``(ip, protocol, port)`` and images normalised as
ImageLocality wants them.
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.resources import pod_resource
from engine.scheduler.framework.selectors import Labels, LabelSelector

Obj = dict[str, Any]

DEFAULT_BIND_ALL_HOST_IP = "0.0.0.0"


class AffinityTerm:
    """``framework.AffinityTerm`` (and ``WeightedAffinityTerm`` with ``weight``)."""

    __slots__ = ("namespaces", "ns_selector", "selector", "topology_key", "weight", "sig")

    def __init__(self, term: Obj, pod_namespace: str, weight: int = 0) -> None:
        self.selector = LabelSelector(term.get("labelSelector"))
        self.topology_key: str = term.get("topologyKey", "")
        self.namespaces = frozenset(term.get("namespaces") or ())
        raw_ns_selector = term.get("namespaceSelector")
        self.ns_selector = LabelSelector(raw_ns_selector) if raw_ns_selector is not None else None
        if not self.namespaces and self.ns_selector is None:
            self.namespaces = frozenset((pod_namespace,))
        self.weight = weight
        self.sig = self._signature()

    def _signature(self) -> tuple:
        """A hashable identity of what the term selects (for per-node memos)."""
        ns_sel = None if self.ns_selector is None else self.ns_selector.signature()
        return (self.selector.signature(), self.namespaces, ns_sel, self.topology_key)

    def matches(self, namespace: str, labels: Labels, ns_labels: Labels | None) -> bool:
        """Whether a pod (``namespace``, ``labels``) is selected by this term;
        ``ns_labels`` are the labels of that pod's namespace."""
        if namespace in self.namespaces:
            return self.selector.matches(labels)
        sel = self.ns_selector
        if sel is not None and (sel.empty or (ns_labels is not None and sel.matches(ns_labels))):
            return self.selector.matches(labels)
        return False

    def with_namespaces(self, extra: set[str]) -> AffinityTerm:
        """The term with its namespace selector resolved into names
        (``mergeAffinityTermNamespacesIfNotEmpty``)."""
        clone = object.__new__(AffinityTerm)
        clone.selector = self.selector
        clone.topology_key = self.topology_key
        clone.weight = self.weight
        clone.namespaces = self.namespaces | extra
        clone.ns_selector = None
        clone.sig = clone._signature()
        return clone


def _terms(raw: list[Obj] | None, ns: str) -> list[AffinityTerm]:
    return [AffinityTerm(t, ns) for t in raw or ()]


def _weighted(raw: list[Obj] | None, ns: str) -> list[AffinityTerm]:
    return [AffinityTerm(t.get("podAffinityTerm") or {}, ns, int(t.get("weight") or 0))
            for t in raw or ()]


def normalized_image_name(name: str) -> str:
    """ImageLocality's ``normalizedImageName``: add ``:latest`` when untagged."""
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name


def _host_ports(spec: Obj) -> list[tuple[str, str, int]]:
    """Host ports of the containers and sidecars (``GetHostPorts``)."""
    containers = [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
    containers.extend(spec.get("containers") or ())
    ports = []
    for c in containers:
        for p in c.get("ports") or ():
            host_port = p.get("hostPort") or 0
            if host_port > 0:
                ip = p.get("hostIP") or DEFAULT_BIND_ALL_HOST_IP
                ports.append((ip, p.get("protocol") or "TCP", int(host_port)))
    return ports


_PARSED_SPEC_FIELDS = ("containers", "initContainers", "overhead", "affinity", "priority")


def same_placement(old: Obj, new: Obj) -> bool:
    """Whether what PodInfo parses for placing the pod (requests, ports, images,
    affinity, priority), its labels and its deletionTimestamp are the same in
    ``new`` as in ``old``."""
    old_m, new_m = old.get("metadata") or {}, new.get("metadata") or {}
    if old_m.get("labels") != new_m.get("labels") or \
            old_m.get("deletionTimestamp") != new_m.get("deletionTimestamp"):
        return False
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    return all(old_spec.get(k) == new_spec.get(k) for k in _PARSED_SPEC_FIELDS)


class PodInfo:
    """``framework.PodInfo``: a pod and what is parsed from it."""

    __slots__ = (
        "pod", "uid", "namespace", "name", "key", "labels", "priority", "requests",
        "nz_cpu", "nz_mem", "host_ports", "required_affinity", "required_anti_affinity",
        "preferred_affinity", "preferred_anti_affinity", "node_name", "images",
        "deletion_timestamp", "start_time",
    )

    def __init__(self, pod: Obj) -> None:
        self.update(pod)

    def update(self, pod: Obj) -> None:
        m = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.uid: str = m.get("uid", "")
        self.namespace: str = m.get("namespace", "")
        self.name: str = m.get("name", "")
        self.key = f"{self.namespace}/{self.name}"
        self.labels: Labels = m.get("labels") or {}
        self.priority: int = spec.get("priority") or 0
        self.requests, self.nz_cpu, self.nz_mem = pod_resource(pod)
        self.host_ports = _host_ports(spec)
        self.node_name: str = spec.get("nodeName") or ""
        self.deletion_timestamp = m.get("deletionTimestamp")
        self.start_time = (pod.get("status") or {}).get("startTime") or m.get(
            "creationTimestamp") or ""
        self.images = [normalized_image_name(c.get("image") or "") for c in
                       (*(spec.get("initContainers") or ()), *(spec.get("containers") or ()))]
        affinity = spec.get("affinity") or {}
        pa = affinity.get("podAffinity") or {}
        paa = affinity.get("podAntiAffinity") or {}
        ns = self.namespace
        self.required_affinity = _terms(pa.get("requiredDuringSchedulingIgnoredDuringExecution"),
                                        ns)
        self.required_anti_affinity = _terms(
            paa.get("requiredDuringSchedulingIgnoredDuringExecution"), ns)
        self.preferred_affinity = _weighted(
            pa.get("preferredDuringSchedulingIgnoredDuringExecution"), ns)
        self.preferred_anti_affinity = _weighted(
            paa.get("preferredDuringSchedulingIgnoredDuringExecution"), ns)

    def refresh(self, pod: Obj) -> None:
        """``update`` that skips re-parsing when what it parses did not change
        (the common case: the same pod, now bound)."""
        old_spec, new_spec = self.pod.get("spec") or {}, pod.get("spec") or {}
        if any(old_spec.get(k) != new_spec.get(k) for k in _PARSED_SPEC_FIELDS):
            self.update(pod)
            return
        m = pod.get("metadata") or {}
        self.pod = pod
        self.labels = m.get("labels") or {}
        self.node_name = new_spec.get("nodeName") or ""
        self.deletion_timestamp = m.get("deletionTimestamp")
        self.start_time = (pod.get("status") or {}).get("startTime") or m.get(
            "creationTimestamp") or ""

    @property
    def scores_affinity(self) -> bool:
        """Whether InterPodAffinity's scoring looks at this pod as an existing pod
        (hard affinity terms count with weight 1, preferred terms with theirs)."""
        return bool(self.required_affinity or self.preferred_affinity
                    or self.preferred_anti_affinity)

    @property
    def has_affinity(self) -> bool:
        return bool(self.required_affinity or self.required_anti_affinity
                    or self.preferred_affinity or self.preferred_anti_affinity)

    def __repr__(self) -> str:
        return f"PodInfo({self.key})"


class QueuedPodInfo:
    """``framework.QueuedPodInfo``: a pod in the scheduling queue."""

    __slots__ = ("pod_info", "timestamp", "attempts", "initial_attempt_timestamp",
                 "unschedulable_plugins", "pending_plugins", "gated", "backoff_expiry",
                 "seq", "unschedulable_since")

    def __init__(self, pod_info: PodInfo, timestamp: float, seq: int) -> None:
        self.pod_info = pod_info
        self.timestamp = timestamp
        self.attempts = 0
        self.initial_attempt_timestamp: float | None = None
        self.unschedulable_plugins: set[str] = set()
        self.pending_plugins: set[str] = set()
        self.gated = False
        self.backoff_expiry = 0.0
        self.seq = seq
        self.unschedulable_since = 0.0

    @property
    def pod(self) -> Obj:
        return self.pod_info.pod

    @property
    def key(self) -> str:
        return self.pod_info.key
