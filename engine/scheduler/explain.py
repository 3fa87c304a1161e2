"""The explanation record of a scheduling attempt (beyond kube-scheduler).

kube-scheduler logs why a pod did (not) land somewhere only at high
verbosity; kube-scheduler-simulator (``simulator/docs/debuggable-scheduler.md``)
wraps every plugin and writes the per-node results into pod annotations.
k9py records, for every attempt: the PreFilter outcome of each plugin, per
node which filter plugin rejected it and why, each score plugin's raw and
normalised score with its weight and the weighted total, the chosen node,
and the preemption attempt.

Where it lives (so the TUI can read it embedded or over HTTP):

* the latest record of each pod is kept in memory, full size:
  ``cluster.scheduler.explain(namespace, name)`` returns it as a dict;
* a bounded copy (at most :data:`MAX_NODES` rejected nodes and
  :data:`MAX_NODES` scored nodes, the rest summarised as counts) is written
  to the pod as the JSON annotation :data:`ANNOTATION`: on success through
  the Binding's annotations (the binding registry copies them onto the pod
  in the same write as ``spec.nodeName``), on failure with a merge patch
  that is only sent when the content (not the attempt number) changed.

Records are built lazily: the hot path keeps references to the statuses and
score lists it computed anyway, and the dicts are made on demand.
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.runtime import ScoreResult
from engine.scheduler.framework.types import CODE_NAMES, Status

ANNOTATION = "k9py.dev/scheduling-explanation"
MAX_NODES = 20
VOLATILE = ("attempt", "time")


class AttemptRecord:
    """Everything one scheduling attempt decided (see the module docstring)."""

    __slots__ = ("pod", "attempt", "time", "result", "node", "message", "num_nodes",
                 "num_to_find", "evaluated", "feasible", "pre_filter", "statuses",
                 "absent", "score", "preemption", "nominated_node")

    def __init__(self, pod: str, attempt: int, time: str, num_nodes: int) -> None:
        self.pod = pod
        self.attempt = attempt
        self.time = time
        self.result = ""
        self.node = ""
        self.message = ""
        self.num_nodes = num_nodes
        self.num_to_find = 0
        self.evaluated = 0
        self.feasible: list[Any] = []  # NodeInfos (names are taken when needed)
        self.pre_filter: dict[str, str] = {}
        self.statuses: dict[str, Status] = {}
        self.absent: Status | None = None
        self.score: ScoreResult | None = None
        self.preemption: dict[str, Any] | None = None
        self.nominated_node = ""

    # -- building dicts ------------------------------------------------------------------
    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        """The record as JSON-ready data; ``limit`` bounds the per-node lists."""
        out: dict[str, Any] = {
            "pod": self.pod, "attempt": self.attempt, "time": self.time,
            "result": self.result,
        }
        if self.node:
            out["selectedNode"] = self.node
        if self.message:
            out["message"] = self.message
        if self.nominated_node:
            out["nominatedNode"] = self.nominated_node
        out["nodes"] = {"total": self.num_nodes, "toFind": self.num_to_find,
                        "evaluated": self.evaluated, "feasible": len(self.feasible)}
        if self.pre_filter:
            out["preFilter"] = dict(self.pre_filter)
        out["filter"] = self._filter_dict(limit)
        if self.score is not None:
            out["score"] = self._score_dict(limit)
        if self.preemption is not None:
            out["preemption"] = self.preemption
        return out

    def _filter_dict(self, limit: int | None) -> dict[str, Any]:
        rejected = {}
        reasons: dict[str, int] = {}
        for name, status in self.statuses.items():
            for reason in status.reasons:
                reasons[reason] = reasons.get(reason, 0) + 1
            if limit is None or len(rejected) < limit:
                rejected[name] = {"plugin": status.plugin, "code": CODE_NAMES[status.code],
                                  "reasons": list(status.reasons)}
        feasible = self.feasible if limit is None else self.feasible[:limit]
        passed = [n.name for n in feasible]
        out: dict[str, Any] = {"rejected": rejected, "reasons": reasons, "passed": passed}
        if self.absent is not None and self.absent.reasons:
            out["otherNodes"] = {"plugin": self.absent.plugin,
                                 "code": CODE_NAMES[self.absent.code],
                                 "reasons": list(self.absent.reasons)}
        if limit is not None and len(self.statuses) > limit:
            out["rejectedNotShown"] = len(self.statuses) - limit
        return out

    def _score_dict(self, limit: int | None) -> dict[str, Any]:
        s = self.score
        assert s is not None
        # Highest total first; equal totals keep the node order (a stable sort).
        order = sorted(range(len(s.nodes)), key=s.totals.__getitem__, reverse=True)
        if limit is not None:
            order = order[:limit]
        nodes = []
        for i in order:
            plugins = {name: {"raw": raw[i], "normalized": norm[i], "weight": weight,
                              "weighted": norm[i] * weight}
                       for name, weight, raw, norm in s.plugins}
            nodes.append({"node": s.nodes[i].name, "total": s.totals[i], "plugins": plugins})
        out: dict[str, Any] = {"weights": {name: w for name, w, _, _ in s.plugins},
                               "skipped": list(s.skipped), "nodes": nodes}
        if limit is not None and len(s.nodes) > limit:
            out["nodesNotShown"] = len(s.nodes) - limit
        return out


def same_content(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Whether two records differ only in attempt number and time."""
    if a is None or b is None:
        return a is b
    strip = lambda d: {k: v for k, v in d.items() if k not in VOLATILE}  # noqa: E731
    return strip(a) == strip(b)
