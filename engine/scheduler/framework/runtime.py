"""The framework: runs the configured plugins at each extension point.

Upstream: ``pkg/scheduler/framework/runtime/framework.go``
(``RunPreFilterPlugins`` with PreFilterResult merging and Skip,
``RunFilterPlugins`` (first failure wins), ``RunFilterPluginsWithNominatedPods``
(nominated pods of equal or higher priority are added first),
``RunPreScorePlugins``, ``RunScorePlugins`` (normalise, then multiply by the
weight), ``RunPostFilterPlugins``, Reserve/Unreserve, PreBind, Bind).

Filtering works on a batch of nodes per plugin (``filter_nodes``) instead of
a batch of plugins per node: the result for each node is the same - the
first plugin in order that rejects it - and each plugin's loop stays in one
Python function.
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework import scoring
from engine.scheduler.framework.interface import (
    BindPlugin,
    CycleState,
    FilterPlugin,
    Plugin,
    PostFilterPlugin,
    PreBindPlugin,
    PreEnqueuePlugin,
    PreFilterPlugin,
    PreScorePlugin,
    ReservePlugin,
    ScorePlugin,
)
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.scoring import ScoreResult
from engine.scheduler.framework.types import (
    Code,
    Status,
)
from engine.scheduler.queue import events as ev


class Framework:
    """One scheduling profile (``default-scheduler``) and its plugins."""

    def __init__(self, plugins: list[Plugin], weights: dict[str, int],
                 profile: str = "default-scheduler", cache: Any = None) -> None:
        self.profile = profile
        self.cache = cache  # the scheduler cache: the score phase keeps columns by its list
        self.plugins = plugins
        self.weights = weights
        self.pre_enqueue = [p for p in plugins if isinstance(p, PreEnqueuePlugin)]
        self.pre_filter = [p for p in plugins if isinstance(p, PreFilterPlugin)]
        self.filter = [p for p in plugins if isinstance(p, FilterPlugin)]
        self.post_filter = [p for p in plugins if isinstance(p, PostFilterPlugin)]
        self.pre_score = [p for p in plugins if isinstance(p, PreScorePlugin)]
        self.score = [p for p in plugins if isinstance(p, ScorePlugin) and weights.get(p.name)]
        self.reserve = [p for p in plugins if isinstance(p, ReservePlugin)]
        self.pre_bind = [p for p in plugins if isinstance(p, PreBindPlugin)]
        self.bind = [p for p in plugins if isinstance(p, BindPlugin)]
        self.extensions = [p for p in self.pre_filter if p.has_extensions]

    # -- events --------------------------------------------------------------------------
    def queueing_hints(self) -> dict[ev.ClusterEvent, list[tuple[str, ev.HintFn | None]]]:
        """Every plugin's ``EventsToRegister``, grouped by event (``queueingHintMap``)."""
        hints: dict[ev.ClusterEvent, list[tuple[str, ev.HintFn | None]]] = {}
        for p in self.plugins:
            for entry in p.events_to_register():
                hints.setdefault(entry.event, []).append((p.name, entry.hint))
        return hints

    # -- PreFilter -----------------------------------------------------------------------
    def run_pre_filter(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
                       ) -> tuple[set[str] | None, Status, list[str]]:
        """Node names the pod is limited to (None: all), the status, and the plugins
        that narrowed the node set."""
        result: set[str] | None = None
        narrowed: list[str] = []
        for p in self.pre_filter:
            names, status = p.pre_filter(state, pod, nodes)
            if status is not None:
                if status.is_skip():
                    state.skip_filter_plugins.add(p.name)
                    continue
                if not status.is_success():
                    status.plugin = p.name
                    return None, status, narrowed
            if names is not None:
                narrowed.append(p.name)
                result = set(names) if result is None else result & names
                if not result:
                    msg = (f"node(s) didn't satisfy plugin {narrowed[0]}" if len(narrowed) == 1
                           else f"node(s) didn't satisfy plugin(s) [{' '.join(narrowed)}] "
                                "simultaneously")
                    return result, Status(Code.UNSCHEDULABLE, msg, plugin=p.name), narrowed
        return result, Status(), narrowed

    def run_add_pod(self, state: CycleState, pod: PodInfo, added: PodInfo,
                    node: NodeInfo) -> None:
        for p in self.extensions:
            if p.name not in state.skip_filter_plugins:
                p.add_pod(state, pod, added, node)

    def run_remove_pod(self, state: CycleState, pod: PodInfo, removed: PodInfo,
                       node: NodeInfo) -> None:
        for p in self.extensions:
            if p.name not in state.skip_filter_plugins:
                p.remove_pod(state, pod, removed, node)

    # -- Filter ----------------------------------------------------------------------------
    def run_filter_batch(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                         statuses: dict[str, Status]) -> list[NodeInfo]:
        """The nodes that pass every filter, in order; rejections go to ``statuses``."""

        def reject(node: NodeInfo, status: Status) -> None:
            status.plugin = current
            statuses[node.name] = status

        skip = state.skip_filter_plugins
        for p in self.filter:
            if p.name in skip:
                continue
            current = p.name
            nodes = p.filter_nodes(state, pod, nodes, reject)
            if not nodes:
                break
        return nodes

    def run_filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        """``RunFilterPlugins`` on one node: the first rejection, or None."""
        skip = state.skip_filter_plugins
        for p in self.filter:
            if p.name in skip:
                continue
            status = p.filter(state, pod, node)
            if status is not None:
                status.plugin = p.name
                if not status.is_rejected():
                    status.code = Code.ERROR
                return status
        return None

    def run_filter_with_nominated_pods(self, state: CycleState, pod: PodInfo, node: NodeInfo,
                                       nominated: list[PodInfo]) -> Status | None:
        """``RunFilterPluginsWithNominatedPods``: with the nominated pods of equal or
        higher priority on the node (if any) and, if they fit, without them."""
        others = [p for p in nominated if p.priority >= pod.priority and p.uid != pod.uid]
        if others:
            state_with = state.clone()
            node_with = node.clone()
            for other in others:
                node_with.add_pod(other)
                self.run_add_pod(state_with, pod, other, node_with)
            status = self.run_filter(state_with, pod, node_with)
            if status is not None:
                return status
        return self.run_filter(state, pod, node)

    # -- Score ------------------------------------------------------------------------------
    def run_pre_score(self, state: CycleState, pod: PodInfo,
                      nodes: list[NodeInfo]) -> Status | None:
        for p in self.pre_score:
            status = p.pre_score(state, pod, nodes)
            if status is None:
                continue
            if status.is_skip():
                state.skip_score_plugins.add(p.name)
                continue
            status.plugin = p.name
            return status
        return None

    def run_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> ScoreResult:
        """``RunScorePlugins`` (see :mod:`engine.scheduler.framework.scoring`)."""
        return scoring.run_score(self.score, self.weights, state, pod, nodes, self.cache)

    # -- after filtering ----------------------------------------------------------------------
    def run_post_filter(self, state: CycleState, pod: PodInfo,
                        node_to_status: Any) -> tuple[str | None, Status]:
        """``RunPostFilterPlugins``: the first plugin that succeeds wins."""
        last = Status(Code.UNSCHEDULABLE)
        nominated: str | None = None
        for p in self.post_filter:
            node, status = p.post_filter(state, pod, node_to_status)
            status.plugin = p.name
            if status.is_success():
                return node, status
            if not status.is_rejected():
                return node, status
            last = status
            if node is not None:
                nominated = node
        return nominated, last

    def run_reserve(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        for p in self.reserve:
            status = p.reserve(state, pod, node)
            if status is not None:
                status.plugin = p.name
                return status
        return None

    def run_unreserve(self, state: CycleState, pod: PodInfo, node: str) -> None:
        for p in reversed(self.reserve):
            p.unreserve(state, pod, node)

    def run_pre_bind(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        for p in self.pre_bind:
            status = p.pre_bind(state, pod, node)
            if status is not None:
                status.plugin = p.name
                return status
        return None

    def run_bind(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        for p in self.bind:
            status = p.bind(state, pod, node)
            if status is not None and status.is_skip():
                continue
            if status is not None:
                status.plugin = p.name
            return status
        return Status.error("no bind plugin bound the pod")
