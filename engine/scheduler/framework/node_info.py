"""``NodeInfo``: a node and the pods on it, kept current by the cache.

Upstream: ``pkg/scheduler/framework/types.go`` (``NodeInfo``: Requested,
NonZeroRequested, Allocatable, UsedPorts, PodsWithAffinity,
PodsWithRequiredAntiAffinity, ImageStates, Generation; ``AddPodInfo``,
``RemovePod``, ``SetNode``, ``Snapshot``).

CPU, memory and ephemeral storage live in plain integer attributes (with
``free_*`` = allocatable - requested kept up to date) so that the filter and
score loops read attributes instead of building dicts.
"""

from __future__ import annotations

import itertools
from typing import Any

from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.resources import CPU, EPHEMERAL, MEMORY, PODS, amount

Obj = dict[str, Any]

_generation = itertools.count(1)


def next_generation() -> int:
    """``nextGeneration``: a process-wide, increasing counter."""
    return next(_generation)


class NodeInfo:
    """A node, its allocatable resources and the pods assigned (or assumed) to it."""

    __slots__ = (
        "node", "name", "labels", "taints", "hard_taints", "prefer_taints", "unschedulable",
        "alloc_cpu", "alloc_mem", "alloc_eph", "alloc_pods", "alloc_scalar",
        "req_cpu", "req_mem", "req_eph", "req_scalar", "nz_cpu", "nz_mem",
        "free_cpu", "free_mem", "free_eph", "free_pods", "pods", "pods_with_affinity",
        "pods_with_required_anti_affinity", "used_ports", "images", "generation", "index",
        "zone", "memo", "score_key", "score_row", "labels_gen", "label_memo",
        "score_affinity_pods", "compact_key", "compact_id",
    )

    def __init__(self, node: Obj | None = None) -> None:
        self.node: Obj | None = None
        self.name = ""
        self.labels: dict[str, str] = {}
        self.taints: list[Obj] = []
        self.hard_taints: list[Obj] = []
        self.prefer_taints: list[Obj] = []
        self.unschedulable = False
        self.alloc_cpu = self.alloc_mem = self.alloc_eph = self.alloc_pods = 0
        self.alloc_scalar: dict[str, int] = {}
        self.req_cpu = self.req_mem = self.req_eph = 0
        self.req_scalar: dict[str, int] = {}
        self.nz_cpu = self.nz_mem = 0
        self.free_cpu = self.free_mem = self.free_eph = self.free_pods = 0
        self.pods: dict[str, PodInfo] = {}
        self.pods_with_affinity: dict[str, PodInfo] = {}
        self.pods_with_required_anti_affinity: dict[str, PodInfo] = {}
        self.used_ports: dict[tuple[str, str, int], int] = {}
        self.images: dict[str, int] = {}  # normalised name -> size in bytes
        self.generation = next_generation()
        self.score_key = self.compact_key = 0
        self.index = 0
        self.zone = ""
        self.memo: dict[Any, tuple[int, Any]] = {}
        # Answers that depend on the node's labels only, valid while labels_gen holds.
        self.labels_gen = 0
        self.label_memo: dict[Any, tuple[int, Any]] = {}
        # Pods whose terms count in InterPodAffinity scoring (hard affinity, preferred).
        self.score_affinity_pods = 0
        # The last node-local score row and its key (0 once the node changed); see
        # framework/scoring.py.
        self.score_key = 0
        self.score_row: Any = None
        # The node's entry in the compact score table and its key (0 once the node
        # changed); see framework/scoring.py.
        self.compact_key = 0
        self.compact_id = 0
        if node is not None:
            self.set_node(node)

    # -- node ----------------------------------------------------------------------------
    def set_node(self, node: Obj) -> None:
        """``SetNode``: labels, taints, allocatable and images from the Node."""
        m, spec, status = node.get("metadata") or {}, node.get("spec") or {}, \
            node.get("status") or {}
        self.node = node
        self.name = m.get("name", "")
        labels = m.get("labels") or {}
        if labels != self.labels or not self.labels_gen:
            self.labels_gen = next_generation()
        self.labels = labels
        self.taints = spec.get("taints") or []
        self.hard_taints = [t for t in self.taints if t.get("effect") in ("NoSchedule",
                                                                           "NoExecute")]
        self.prefer_taints = [t for t in self.taints if t.get("effect") == "PreferNoSchedule"]
        self.unschedulable = bool(spec.get("unschedulable"))
        self.zone = zone_of(self.labels)
        alloc = status.get("allocatable") or {}
        self.alloc_scalar = {}
        self.alloc_cpu = self.alloc_mem = self.alloc_eph = self.alloc_pods = 0
        for name, q in alloc.items():
            value = amount(name, q)
            if name == CPU:
                self.alloc_cpu = value
            elif name == MEMORY:
                self.alloc_mem = value
            elif name == EPHEMERAL:
                self.alloc_eph = value
            elif name == PODS:
                self.alloc_pods = value
            else:
                self.alloc_scalar[name] = value
        self.images = {}
        for image in status.get("images") or ():
            size = image.get("sizeBytes") or 0
            for name in image.get("names") or ():
                self.images[name] = size
        self._refresh_free()
        self.generation = next_generation()
        self.score_key = self.compact_key = 0

    def _refresh_free(self) -> None:
        self.free_cpu = self.alloc_cpu - self.req_cpu
        self.free_mem = self.alloc_mem - self.req_mem
        self.free_eph = self.alloc_eph - self.req_eph
        self.free_pods = self.alloc_pods - len(self.pods)

    # -- pods ------------------------------------------------------------------------------
    def add_pod(self, pi: PodInfo) -> None:
        """``AddPodInfo``."""
        self.pods[pi.uid] = pi
        if pi.required_affinity or pi.required_anti_affinity or pi.preferred_affinity \
                or pi.preferred_anti_affinity:
            self.pods_with_affinity[pi.uid] = pi
        if pi.required_anti_affinity:
            self.pods_with_required_anti_affinity[pi.uid] = pi
        if pi.scores_affinity:
            self.score_affinity_pods += 1
        self._account(pi, 1)

    def remove_pod(self, uid: str) -> PodInfo | None:
        """``RemovePod``; None when the pod is not on this node."""
        pi = self.pods.pop(uid, None)
        if pi is None:
            return None
        self.pods_with_affinity.pop(uid, None)
        self.pods_with_required_anti_affinity.pop(uid, None)
        if pi.scores_affinity:
            self.score_affinity_pods -= 1
        self._account(pi, -1)
        return pi

    def _account(self, pi: PodInfo, sign: int) -> None:
        r = pi.requests
        self.req_cpu += sign * r.milli_cpu
        self.req_mem += sign * r.memory
        self.req_eph += sign * r.ephemeral_storage
        for name, value in r.scalar.items():
            self.req_scalar[name] = self.req_scalar.get(name, 0) + sign * value
        self.nz_cpu += sign * pi.nz_cpu
        self.nz_mem += sign * pi.nz_mem
        for port in pi.host_ports:
            count = self.used_ports.get(port, 0) + sign
            if count > 0:
                self.used_ports[port] = count
            else:
                self.used_ports.pop(port, None)
        self._refresh_free()
        self.generation = next_generation()
        self.score_key = self.compact_key = 0

    # -- copies ----------------------------------------------------------------------------
    def clone(self) -> NodeInfo:
        """``Snapshot``: an independent copy (pods shared, containers copied)."""
        c = object.__new__(NodeInfo)
        for slot in NodeInfo.__slots__:
            setattr(c, slot, getattr(self, slot))
        c.pods = dict(self.pods)
        c.pods_with_affinity = dict(self.pods_with_affinity)
        c.pods_with_required_anti_affinity = dict(self.pods_with_required_anti_affinity)
        c.used_ports = dict(self.used_ports)
        c.req_scalar = dict(self.req_scalar)
        c.memo = {}
        return c

    def memo_get(self, key: Any) -> Any:
        """A value computed from this node's current state (None if stale or absent)."""
        entry = self.memo.get(key)
        if entry is not None and entry[0] == self.generation:
            return entry[1]
        return None

    def memo_set(self, key: Any, value: Any) -> Any:
        if len(self.memo) > 64:
            self.memo.clear()
        self.memo[key] = (self.generation, value)
        return value

    def requested(self, name: str) -> int:
        if name == CPU:
            return self.req_cpu
        if name == MEMORY:
            return self.req_mem
        if name == EPHEMERAL:
            return self.req_eph
        if name == PODS:
            return len(self.pods)
        return self.req_scalar.get(name, 0)

    def allocatable(self, name: str) -> int:
        if name == CPU:
            return self.alloc_cpu
        if name == MEMORY:
            return self.alloc_mem
        if name == EPHEMERAL:
            return self.alloc_eph
        if name == PODS:
            return self.alloc_pods
        return self.alloc_scalar.get(name, 0)

    def __repr__(self) -> str:
        return f"NodeInfo({self.name}, pods={len(self.pods)})"


ZONE_LABEL = "topology.kubernetes.io/zone"
REGION_LABEL = "topology.kubernetes.io/region"
ZONE_LABEL_BETA = "failure-domain.beta.kubernetes.io/zone"
REGION_LABEL_BETA = "failure-domain.beta.kubernetes.io/region"


def zone_of(labels: dict[str, str]) -> str:
    """``utilnode.GetZoneKey``: ``region:\\x00:zone`` ("" when neither is set)."""
    region = labels.get(REGION_LABEL) or labels.get(REGION_LABEL_BETA) or ""
    zone = labels.get(ZONE_LABEL) or labels.get(ZONE_LABEL_BETA) or ""
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"
