"""Plugin interfaces, the cycle state and the handle plugins get.

Upstream: ``pkg/scheduler/framework/interface.go`` (``PreEnqueuePlugin``,
``QueueSortPlugin``, ``PreFilterPlugin`` with ``PreFilterExtensions``
AddPod/RemovePod, ``FilterPlugin``, ``PostFilterPlugin``,
``PreScorePlugin``, ``ScorePlugin`` with ``NormalizeScore``,
``ReservePlugin``, ``PreBindPlugin``, ``BindPlugin``, ``EnqueueExtensions``)
and ``cycle_state.go``.

Plugins here return ``None`` for Success (the common case costs nothing)
and a :class:`~engine.scheduler.framework.types.Status` otherwise. Two
batch entry points keep the hot loops in one function per plugin:
``filter_nodes`` (the nodes that pass, rejections reported through a
callback) and ``score_nodes`` (one raw score per node). Their default
implementations call the per-node ``filter`` and ``score``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from engine.scheduler.framework.types import Status

if TYPE_CHECKING:
    from engine.scheduler.framework.node_info import NodeInfo
    from engine.scheduler.framework.pod_info import PodInfo
    from engine.scheduler.queue.events import ClusterEventWithHint

Obj = dict[str, Any]
Reject = Callable[["NodeInfo", Status], None]


class CycleState:
    """``framework.CycleState``: per-attempt data shared by the plugins."""

    __slots__ = ("data", "skip_filter_plugins", "skip_score_plugins")

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.skip_filter_plugins: set[str] = set()
        self.skip_score_plugins: set[str] = set()

    def read(self, key: str) -> Any:
        return self.data.get(key)

    def write(self, key: str, value: Any) -> None:
        self.data[key] = value

    def clone(self) -> CycleState:
        """``Clone``: each value that has ``clone()`` is copied."""
        c = CycleState()
        for key, value in self.data.items():
            clone = getattr(value, "clone", None)
            c.data[key] = clone() if clone is not None else value
        c.skip_filter_plugins = set(self.skip_filter_plugins)
        c.skip_score_plugins = set(self.skip_score_plugins)
        return c


class Plugin:
    """Base of every plugin; ``name`` is upstream's plugin name."""

    name = ""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def events_to_register(self) -> list[ClusterEventWithHint]:
        """``EnqueueExtensions.EventsToRegister``."""
        return []


class PreEnqueuePlugin(Plugin):
    def pre_enqueue(self, pod: PodInfo) -> Status | None:
        raise NotImplementedError


class PreFilterPlugin(Plugin):
    def pre_filter(self, state: CycleState, pod: PodInfo,
                   nodes: list[NodeInfo]) -> tuple[set[str] | None, Status | None]:
        """Node names the pod may go to (None: all) and a status."""
        raise NotImplementedError

    def add_pod(self, state: CycleState, pod: PodInfo, added: PodInfo,
                node: NodeInfo) -> Status | None:
        """``PreFilterExtensions.AddPod`` (only plugins whose state depends on other pods)."""
        return None

    def remove_pod(self, state: CycleState, pod: PodInfo, removed: PodInfo,
                   node: NodeInfo) -> Status | None:
        return None

    has_extensions = False


class FilterPlugin(Plugin):
    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        raise NotImplementedError

    def filter_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                     reject: Reject) -> list[NodeInfo]:
        """The nodes that pass, in order; ``reject(node, status)`` for the others."""
        passed = []
        filt = self.filter
        for node in nodes:
            status = filt(state, pod, node)
            if status is None:
                passed.append(node)
            else:
                reject(node, status)
        return passed


class PostFilterPlugin(Plugin):
    def post_filter(self, state: CycleState, pod: PodInfo,
                    node_to_status: Any) -> tuple[str | None, Status]:
        """The nominated node (None: none; "": clear it) and a status."""
        raise NotImplementedError


class PreScorePlugin(Plugin):
    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        raise NotImplementedError


class ScorePlugin(Plugin):
    # ``score_key(state, pod)``: set by plugins whose raw score depends only on the
    # node and on what the returned (hashable) key captures of the pod.
    score_key: Any = None

    def constant_normalized(self, state: CycleState, pod: PodInfo) -> int | None:
        """The normalised score every node gets, when the plugin knows it is the
        same everywhere this cycle (None: compute per node)."""
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        raise NotImplementedError

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        score = self.score
        return [score(state, pod, node) for node in nodes]

    def score_codes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
                    ) -> tuple[list[Any], Callable[[Any], int]] | None:
        """Optional: a hashable code per node and the raw score of a code, when the
        raw score is a function of a small per-node value (None: use
        ``score_nodes``). A plugin that gives codes must have a ``normalize``
        that maps each score through the list's minimum and maximum alone
        (see framework/scoring.py)."""
        return None

    def node_codes(self, state: CycleState, pod: PodInfo
                   ) -> tuple[Any, Callable[[NodeInfo], Any], Callable[[Any], int]] | None:
        """Optional: ``(key, code_of, raw_of)`` when the raw score of every node is
        ``raw_of(code_of(node))`` and ``code_of(node)`` (hashable) depends only on
        the node's state and on what ``key`` (hashable) names, so it holds until
        the node changes (None: not so this cycle). ``normalize`` must then map
        each score through the list's minimum and maximum alone, as for
        ``score_codes`` (see framework/scoring.py)."""
        return None

    def normalize(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        """``ScoreExtensions.NormalizeScore`` in place; the default does nothing."""

    has_normalize = False


class ReservePlugin(Plugin):
    def reserve(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        raise NotImplementedError

    def unreserve(self, state: CycleState, pod: PodInfo, node: str) -> None:
        """Undo ``reserve``."""


class PreBindPlugin(Plugin):
    def pre_bind(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        raise NotImplementedError


class BindPlugin(Plugin):
    def bind(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        raise NotImplementedError


def default_normalize_score(max_priority: int, reverse: bool, scores: list[int]) -> None:
    """``helper.DefaultNormalizeScore``: scale to [0, max_priority], optionally reversed."""
    top = max(scores) if scores else 0
    if top == 0:
        if reverse:
            scores[:] = [max_priority] * len(scores)
        return
    if reverse:
        scores[:] = [max_priority - max_priority * s // top for s in scores]
    else:
        scores[:] = [max_priority * s // top for s in scores]
