"""The scheduler cache: NodeInfos kept current by pod and node events.

Upstream: ``pkg/scheduler/backend/cache/cache.go`` (``cacheImpl``:
``AddNode``/``UpdateNode``/``RemoveNode``, ``AddPod``/``UpdatePod``/
``RemovePod``, ``AssumePod``/``ForgetPod``/``FinishBinding``, image states)
and ``snapshot.go`` (``NodeInfos().List()``, ``HavePodsWithAffinityList``,
``HavePodsWithRequiredAntiAffinityList``).

Upstream copies changed NodeInfos into a per-cycle snapshot (by generation
number) because scheduling runs beside the informers' goroutines. Here a
scheduling cycle runs start to finish without yielding the engine loop, so
nothing can change under it and the cache *is* the snapshot: updates are
incremental (one NodeInfo per event) and the node list is rebuilt only when
the set of nodes or their zones change.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from engine.scheduler.cache.affinity_index import AffinityIndex
from engine.scheduler.cache.node_tree import NodeTree
from engine.scheduler.framework.node_info import NodeInfo, zone_of
from engine.scheduler.framework.pod_info import PodInfo, same_placement

Obj = dict[str, Any]
_FREE_PODS = attrgetter("free_pods")
_FREE_CPU = attrgetter("free_cpu")
_FREE_MEM = attrgetter("free_mem")
_FREE_EPH = attrgetter("free_eph")
MAX_CHANGES = 1 << 16  # entries of the change log before it starts over


class Cache:
    """NodeInfos by name, assumed pods and image states."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self.tree = NodeTree()
        self.pods: dict[str, tuple[PodInfo, str]] = {}  # uid -> (pod, node)
        self.assumed: set[str] = set()
        self.image_nodes: dict[str, set[str]] = {}
        self._list: list[NodeInfo] | None = None
        self.affinity_nodes: dict[str, NodeInfo] = {}
        self.anti_affinity_nodes: dict[str, NodeInfo] = {}
        # Names of nodes with NoSchedule/NoExecute taints, and of cordoned nodes, so
        # that filters can pass every other node without looking at it.
        self.hard_tainted: set[str] = set()
        self.unschedulable: set[str] = set()
        self.prefer_tainted: set[str] = set()  # nodes with PreferNoSchedule taints
        # Nodes with pods whose terms count in InterPodAffinity's scoring.
        self.score_affinity_nodes: dict[str, NodeInfo] = {}
        self.affinity = AffinityIndex(self.list)
        # A lower bound of (free pods, cpu, memory, ephemeral storage) over the listed
        # nodes (None: unknown), so NodeResourcesFit can pass a whole chunk of nodes
        # at once; ``_floor_stale``: pods left since it was exact.
        self._floor: tuple[int, int, int, int] | None = None
        self._floor_stale = False
        # Positions in list() of the listed nodes changed since the list was built
        # (pods placed or removed, node updates), for per-position columns kept
        # elsewhere (framework/scoring.py); a new list or a full log starts a new
        # log object, which tells them to start over.
        self.changes: list[int] = []

    # -- snapshot view ---------------------------------------------------------------
    def list(self) -> list[NodeInfo]:
        """``NodeInfos().List()``: nodes in node-tree order."""
        if self._list is None:
            self._list = [self.nodes[name] for name in self.tree.list()]
            for i, ni in enumerate(self._list):
                ni.index = i
            self.changes = []
        return self._list

    def _log_change(self, ni: NodeInfo) -> None:
        """Note that a listed node changed (see ``changes``)."""
        listed = self._list
        if listed is not None and ni.index < len(listed) and listed[ni.index] is ni:
            if len(self.changes) >= MAX_CHANGES:
                self.changes = [ni.index]
            else:
                self.changes.append(ni.index)

    def window_runs(self, nodes: list[NodeInfo]) -> list[tuple[int, int]] | None:
        """``nodes`` as runs ``(start, length)`` of consecutive listed nodes when it
        is a window of :meth:`list` (wrapping around the end) with at most the
        cache's tainted or cordoned nodes left out (what the filters usually
        leave, when there are few); None otherwise. Checked node by node by
        identity, in C."""
        head = self._window_head(nodes)
        if head is None:
            return None
        listed, total, start = head
        span = (nodes[-1].index - start) % total + 1
        missing = span - len(nodes)
        left_out: list[int] = []
        if missing:
            if missing < 0 or len(self.hard_tainted) + len(self.unschedulable) > 64:
                return None
            for name in (*self.hard_tainted, *self.unschedulable):
                ni = self.nodes.get(name)
                if ni is not None and (ni.index - start) % total < span:
                    left_out.append((ni.index - start) % total)
            left_out = sorted(set(left_out))
            if len(left_out) != missing:
                return None
        runs: list[tuple[int, int]] = []
        prev = 0
        for offset in (*left_out, span):
            if offset > prev:
                first = (start + prev) % total
                length = offset - prev
                if first + length > total:  # split where the list wraps
                    runs.append((first, total - first))
                    runs.append((0, first + length - total))
                else:
                    runs.append((first, length))
            prev = offset + 1
        expected: list[NodeInfo] = []
        for first, length in runs:
            expected += listed[first:first + length]
        return runs if expected == nodes else None

    def window_start(self, nodes: list[NodeInfo]) -> int | None:
        """Where ``nodes`` starts in :meth:`list` when it is a window of it (a
        run of consecutive listed nodes, wrapping around the end), else None.
        Checked node by node by identity, in C."""
        head = self._window_head(nodes)
        if head is None:
            return None
        listed, total, start = head
        end = start + len(nodes)
        if end <= total:
            return start if listed[start:end] == nodes else None
        return start if listed[start:] + listed[:end - total] == nodes else None

    def _window_head(self, nodes: list[NodeInfo]) -> tuple[list[NodeInfo], int, int] | None:
        """The listed nodes, their count and where ``nodes`` would start among
        them; None when ``nodes`` cannot be a window (empty, too many, or its
        first node not listed at its index)."""
        listed = self.list()
        total = len(listed)
        if not nodes or len(nodes) > total:
            return None
        start = nodes[0].index
        if not 0 <= start < total:
            return None
        return listed, total, start

    def free_floor(self, fresh: bool = False) -> tuple[int, int, int, int] | None:
        """A lower bound of each free resource over the listed nodes (None: no
        nodes). Placing a pod lowers it where needed; removing one leaves it low
        (still a bound) until ``fresh`` asks for the exact minimum again."""
        if self._floor is None or (fresh and self._floor_stale):
            nodes = self.list()
            if not nodes:
                return None
            self._floor = (min(map(_FREE_PODS, nodes)), min(map(_FREE_CPU, nodes)),
                           min(map(_FREE_MEM, nodes)), min(map(_FREE_EPH, nodes)))
            self._floor_stale = False
        return self._floor

    def _lower_floor(self, ni: NodeInfo) -> None:
        floor = self._floor
        if floor is not None and ni.node is not None:
            self._floor = (min(floor[0], ni.free_pods), min(floor[1], ni.free_cpu),
                           min(floor[2], ni.free_mem), min(floor[3], ni.free_eph))

    def _node_changed(self, ni: NodeInfo) -> None:
        """A node came or its allocatable changed: the bound takes in its free
        resources (node status updates do not cost a rescan of every node)."""
        self._lower_floor(ni)
        self._floor_stale = True

    def get(self, name: str) -> NodeInfo | None:
        ni = self.nodes.get(name)
        return ni if ni is not None and ni.node is not None else None

    def num_nodes(self) -> int:
        return len(self.tree)

    def have_pods_with_affinity(self) -> list[NodeInfo]:
        return [ni for ni in self.affinity_nodes.values() if ni.node is not None]

    def have_pods_with_required_anti_affinity(self) -> list[NodeInfo]:
        return [ni for ni in self.anti_affinity_nodes.values() if ni.node is not None]

    def image_num_nodes(self, image: str) -> int:
        return len(self.image_nodes.get(image) or ())

    # -- nodes ------------------------------------------------------------------------
    def add_node(self, node: Obj) -> NodeInfo:
        name = node["metadata"]["name"]
        ni = self.nodes.get(name)
        if ni is None:
            ni = self.nodes[name] = NodeInfo()
        else:
            self._remove_images(ni)
        ni.set_node(node)
        self._add_images(ni)
        self._track_node(ni)
        self.tree.add(name, ni.zone)
        self._list = None
        self._node_changed(ni)
        self.affinity.reset()
        return ni

    def update_node(self, old: Obj, new: Obj) -> NodeInfo:
        name = new["metadata"]["name"]
        ni = self.nodes.get(name)
        if ni is None or ni.node is None:
            return self.add_node(new)
        self._remove_images(ni)
        labels_gen = ni.labels_gen
        ni.set_node(new)
        self._log_change(ni)
        self._node_changed(ni)
        self._add_images(ni)
        self._track_node(ni)
        if self.tree.update(name, ni.zone):
            self._list = None
        if ni.labels_gen != labels_gen:
            self.affinity.reset()
        return ni

    def remove_node(self, node: Obj) -> None:
        """``RemoveNode``: the NodeInfo stays while pods still reference it."""
        name = node["metadata"]["name"]
        ni = self.nodes.get(name)
        if ni is None:
            return
        self._remove_images(ni)
        self.hard_tainted.discard(name)
        self.unschedulable.discard(name)
        self.prefer_tainted.discard(name)
        self.tree.remove(name)
        self._list = None
        self._floor_stale = True  # still a bound of the nodes left
        self.affinity.reset()
        if ni.pods:
            ni.node = None
        else:
            del self.nodes[name]

    def _track_node(self, ni: NodeInfo) -> None:
        for names, flag in ((self.hard_tainted, ni.hard_taints),
                            (self.unschedulable, ni.unschedulable),
                            (self.prefer_tainted, ni.prefer_taints)):
            if flag:
                names.add(ni.name)
            else:
                names.discard(ni.name)

    def _add_images(self, ni: NodeInfo) -> None:
        for image in ni.images:
            self.image_nodes.setdefault(image, set()).add(ni.name)

    def _remove_images(self, ni: NodeInfo) -> None:
        for image in ni.images:
            names = self.image_nodes.get(image)
            if names is not None:
                names.discard(ni.name)
                if not names:
                    del self.image_nodes[image]

    # -- pods -------------------------------------------------------------------------
    def _node_for(self, name: str) -> NodeInfo:
        ni = self.nodes.get(name)
        if ni is None:
            ni = self.nodes[name] = NodeInfo()
            ni.name = name
        return ni

    def _place(self, pi: PodInfo, node: str) -> None:
        ni = self._node_for(node)
        ni.add_pod(pi)
        self._log_change(ni)
        self._lower_floor(ni)
        self.pods[pi.uid] = (pi, node)
        self._track_affinity(ni)
        self.affinity.pod_changed(pi, ni, 1)

    def _unplace(self, uid: str) -> PodInfo | None:
        entry = self.pods.pop(uid, None)
        if entry is None:
            return None
        pi, node = entry
        ni = self.nodes.get(node)
        if ni is not None:
            ni.remove_pod(uid)
            self._log_change(ni)
            self._track_affinity(ni)
            self.affinity.pod_changed(pi, ni, -1)
            if ni.node is None and not ni.pods:
                del self.nodes[node]
        return pi

    def _track_affinity(self, ni: NodeInfo) -> None:
        if ni.pods_with_affinity:
            self.affinity_nodes[ni.name] = ni
        else:
            self.affinity_nodes.pop(ni.name, None)
        if ni.pods_with_required_anti_affinity:
            self.anti_affinity_nodes[ni.name] = ni
        else:
            self.anti_affinity_nodes.pop(ni.name, None)
        if ni.score_affinity_pods:
            self.score_affinity_nodes[ni.name] = ni
        else:
            self.score_affinity_nodes.pop(ni.name, None)

    def assume_pod(self, pi: PodInfo, node: str) -> None:
        """``AssumePod``: count the pod on ``node`` before the binding lands."""
        self._place(pi, node)
        self.assumed.add(pi.uid)

    def forget_pod(self, pi: PodInfo) -> None:
        """``ForgetPod``: the binding failed."""
        if pi.uid in self.assumed:
            self.assumed.discard(pi.uid)
            self._unplace(pi.uid)
            self._floor_stale = True

    def is_assumed(self, uid: str) -> bool:
        return uid in self.assumed

    def add_pod(self, pod: Obj) -> PodInfo:
        """``AddPod``: an assigned pod from the informer (confirms an assumed one)."""
        uid = pod["metadata"].get("uid", "")
        node = pod["spec"].get("nodeName", "")
        self.assumed.discard(uid)
        entry = self.pods.get(uid)
        if entry is not None:
            pi, placed = entry
            if placed == node and self._refresh_in_place(pi, pod, node):
                return pi
            if placed == node:
                self._unplace(uid)
                pi.refresh(pod)
                self._place(pi, node)
                return pi
            self._unplace(uid)
        pi = PodInfo(pod)
        self._place(pi, node)
        return pi

    def _refresh_in_place(self, pi: PodInfo, pod: Obj, node: str) -> bool:
        """The update changes nothing the NodeInfo, its memos or the affinity index
        hold of the pod (the kubelet's status writes): same parsed spec, labels
        and deletionTimestamp, no affinity terms. The pod is then refreshed
        where it is, moved last in the node's and the cache's pods as removing
        and adding it would (that order is what iteration sees), without
        recounting it or invalidating the node's memos."""
        ni = self.nodes.get(node)
        if ni is None or ni.node is None or pi.has_affinity or not same_placement(pi.pod, pod):
            return False
        pi.refresh(pod)
        ni.pods[pi.uid] = ni.pods.pop(pi.uid)
        self.pods[pi.uid] = self.pods.pop(pi.uid)
        return True

    def update_pod(self, old: Obj, new: Obj) -> PodInfo:
        return self.add_pod(new)

    def remove_pod(self, pod: Obj) -> PodInfo | None:
        uid = pod["metadata"].get("uid", "")
        self.assumed.discard(uid)
        self._floor_stale = True
        return self._unplace(uid)

    def pod_info(self, uid: str) -> PodInfo | None:
        entry = self.pods.get(uid)
        return entry[0] if entry else None

    def zone_changed(self, ni: NodeInfo) -> bool:
        return zone_of(ni.labels) != ni.zone
