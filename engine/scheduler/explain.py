"""The explanation record of a scheduling attempt (beyond kube-scheduler).

kube-scheduler logs why a pod did (not) land somewhere only at high
verbosity; kube-scheduler-simulator (``simulator/docs/debuggable-scheduler.md``)
wraps every plugin and writes the per-node results into pod annotations.
k9py records, for every attempt: the PreFilter outcome of each plugin, per
node which filter plugin rejected it and why, each score plugin's raw and
normalised score with its weight and the weighted total, the chosen node,
and the preemption attempt.

Where it lives (so the TUI can read it embedded or over HTTP):

* in memory, the latest record of each recently scheduled pod, in full:
  ``cluster.scheduler.explain(namespace, name)`` returns it as a dict
  (:meth:`AttemptRecord.to_dict`, shape below);
* on the pod, the JSON annotation :data:`ANNOTATION`, a compact and bounded
  form (:meth:`AttemptRecord.to_annotation`: at most :data:`MAX_NODES`
  rejected and :data:`MAX_NODES` best-scored nodes, the rest as counts; per
  node scores as lists). :func:`expand` turns it into the ``to_dict`` shape,
  so a reader needs only :func:`from_pod`. It is written with the Binding on
  success (the binding registry copies Binding annotations onto the pod in
  the same write as ``spec.nodeName``: no extra write), and with a merge
  patch on failure, only when the content (not the attempt number) changed.

``to_dict`` shape::

    {"pod": "ns/name", "attempt": 3, "time": "...Z",
     "result": "Scheduled" | "Unschedulable" | "SchedulerError",
     "selectedNode": "...", "message": "0/3 nodes are available: ...",
     "nominatedNode": "...",
     "nodes": {"total": 3, "toFind": 3, "evaluated": 3, "feasible": 2},
     "preFilter": {"NodeAffinity": "Skip", "VolumeBinding": "<rejection>"},
     "filter": {"rejected": {node: {"plugin", "code", "reasons"}},
                "reasons": {reason: count}, "passed": [node, ...],
                "otherNodes": {...}, "rejectedNotShown": n},
     "score": {"weights": {plugin: weight}, "skipped": [plugin],
               "nodes": [{"node", "total",
                          "plugins": {plugin: {"raw", "normalized", "weight",
                                               "weighted"}}}],
               "nodesNotShown": n},
     "preemption": {...}}

Records are built lazily: the hot path keeps references to what it computed
anyway (statuses, feasible nodes, score rows) and dicts are made on demand.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice
from typing import Any

import orjson

from engine.scheduler.framework.scoring import ScoreResult
from engine.scheduler.framework.types import CODE_NAMES, Status

ANNOTATION = "k9py.dev/scheduling-explanation"
MAX_NODES = 10
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

    # -- the full record -----------------------------------------------------------------
    def _head(self) -> dict[str, Any]:
        out: dict[str, Any] = {"pod": self.pod, "attempt": self.attempt, "time": self.time,
                               "result": self.result}
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
        return out

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        """The record as JSON-ready data; ``limit`` bounds the per-node lists."""
        out = self._head()
        out["filter"] = self._filter_dict(limit)
        if self.score is not None:
            out["score"] = self._score_dict(limit)
        if self.preemption is not None:
            out["preemption"] = self.preemption
        return out

    def _reasons(self) -> dict[str, int]:
        reasons: dict[str, int] = {}
        # Nodes rejected alike share a Status: count each once, weighted by how
        # many nodes have it. Statuses come in order of first use, so reasons
        # come in order of first appearance, as counting node by node gives.
        for status, nodes in Counter(self.statuses.values()).items():
            for reason in status.reasons:
                reasons[reason] = reasons.get(reason, 0) + nodes
        return reasons

    def _filter_dict(self, limit: int | None) -> dict[str, Any]:
        shown = list(self.statuses.items())
        if limit is not None:
            shown = shown[:limit]
        rejected = {name: {"plugin": s.plugin, "code": CODE_NAMES[s.code],
                           "reasons": list(s.reasons)} for name, s in shown}
        feasible = self.feasible if limit is None else self.feasible[:limit]
        out: dict[str, Any] = {"rejected": rejected, "reasons": self._reasons(),
                               "passed": [n.name for n in feasible]}
        if self.absent is not None and self.absent.reasons:
            out["otherNodes"] = {"plugin": self.absent.plugin,
                                 "code": CODE_NAMES[self.absent.code],
                                 "reasons": list(self.absent.reasons)}
        if limit is not None and len(self.statuses) > limit:
            out["rejectedNotShown"] = len(self.statuses) - limit
        return out

    def _best(self, limit: int | None) -> list[int]:
        """Indexes of the scored nodes, highest total first (ties keep node order)."""
        s = self.score
        assert s is not None
        if limit is not None and s.ids is not None:
            return first_largest_compact(s.ids, s.id_total, s.id_count, limit)
        totals = s.totals
        if limit is None:
            return sorted(range(len(totals)), key=totals.__getitem__, reverse=True)
        return first_largest(totals, limit)

    def _score_dict(self, limit: int | None) -> dict[str, Any]:
        s = self.score
        assert s is not None
        nodes = []
        for i in self._best(limit):
            per_plugin = {name: {"raw": raw, "normalized": norm, "weight": weight,
                                 "weighted": norm * weight}
                          for name, weight, raw, norm in s.node_scores(i)}
            nodes.append({"node": s.nodes[i].name, "total": s.total(i), "plugins": per_plugin})
        out: dict[str, Any] = {"weights": dict(s.order), "skipped": list(s.skipped),
                               "nodes": nodes}
        if limit is not None and len(s.nodes) > limit:
            out["nodesNotShown"] = len(s.nodes) - limit
        return out

    # -- the compact annotation --------------------------------------------------------------
    def to_annotation(self, limit: int = MAX_NODES) -> dict[str, Any]:
        """The bounded, compact form written on the pod (see :func:`expand`)."""
        out = self._head()
        out["v"] = 1
        shown = islice(self.statuses.items(), limit)
        filt: dict[str, Any] = {
            "reasons": self._reasons(),
            "rejected": {name: [s.plugin, CODE_NAMES[s.code], *s.reasons] for name, s in shown}}
        if len(self.statuses) > limit:
            filt["rejectedNotShown"] = len(self.statuses) - limit
        if self.absent is not None and self.absent.reasons:
            filt["otherNodes"] = [self.absent.plugin, CODE_NAMES[self.absent.code],
                                  *self.absent.reasons]
        out["filter"] = filt
        s = self.score
        if s is not None:
            nodes = s.entries(self._best(limit))
            out["score"] = {"plugins": [name for name, _ in s.order],
                            "weights": [w for _, w in s.order], "skipped": list(s.skipped),
                            "nodes": nodes, "nodesNotShown": max(0, len(s.nodes) - limit)}
        if self.preemption is not None:
            out["preemption"] = self.preemption
        return out


def first_largest(totals: list[int], limit: int) -> list[int]:
    """The first ``limit`` indexes of ``totals`` sorted by value, highest first,
    ties in index order (what ``sorted(..., reverse=True)[:limit]`` gives)
    without sorting every scored node: a pod scored on 420 nodes shows 10.
    Each distinct value taken has at least one index, so at most ``limit``
    values are looked up."""
    top: list[int] = []
    for value in sorted(set(totals), reverse=True):
        i = -1
        while len(top) < limit:
            try:
                i = totals.index(value, i + 1)
            except ValueError:
                break
            top.append(i)
        if len(top) == limit:
            break
    return top


def first_largest_compact(ids: list[int], id_total: dict[int, int], id_count: dict[int, int],
                          limit: int) -> list[int]:
    """:func:`first_largest` of a compact score result (node ``i`` totals
    ``id_total[ids[i]]``, ``id_count``: nodes per entry): per distinct total,
    highest first, the first ``limit`` nodes of its entries in index order."""
    by_total: dict[int, list[int]] = {}
    for entry, total in id_total.items():
        by_total.setdefault(total, []).append(entry)
    top: list[int] = []
    for value in sorted(by_total, reverse=True):
        want = limit - len(top)
        found: list[int] = []
        for entry in by_total[value]:
            i = -1
            for _ in range(min(want, id_count[entry])):
                i = ids.index(entry, i + 1)
                found.append(i)
        found.sort()
        top.extend(found[:want])
        if len(top) == limit:
            break
    return top


def expand(data: dict[str, Any]) -> dict[str, Any]:
    """The annotation's compact form in the :meth:`AttemptRecord.to_dict` shape
    (without the list of passing nodes, which the annotation leaves out)."""
    if data.get("v") != 1:
        return data
    out = {k: v for k, v in data.items() if k not in ("v", "filter", "score")}
    filt = data.get("filter") or {}
    expanded: dict[str, Any] = {
        "rejected": {node: {"plugin": e[0], "code": e[1], "reasons": list(e[2:])}
                     for node, e in (filt.get("rejected") or {}).items()},
        "reasons": filt.get("reasons") or {}}
    if "otherNodes" in filt:
        e = filt["otherNodes"]
        expanded["otherNodes"] = {"plugin": e[0], "code": e[1], "reasons": list(e[2:])}
    if filt.get("rejectedNotShown"):
        expanded["rejectedNotShown"] = filt["rejectedNotShown"]
    out["filter"] = expanded
    score = data.get("score")
    if score is not None:
        plugins, weights = score["plugins"], score["weights"]
        nodes = []
        for entry in score["nodes"]:
            per_plugin = {}
            for j, (name, weight) in enumerate(zip(plugins, weights, strict=True)):
                raw, norm = entry[2 + 2 * j], entry[3 + 2 * j]
                per_plugin[name] = {"raw": raw, "normalized": norm, "weight": weight,
                                    "weighted": norm * weight}
            nodes.append({"node": entry[0], "total": entry[1], "plugins": per_plugin})
        out["score"] = {"weights": dict(zip(plugins, weights, strict=True)),
                        "skipped": score.get("skipped") or [], "nodes": nodes}
        if score.get("nodesNotShown"):
            out["score"]["nodesNotShown"] = score["nodesNotShown"]
    return out


def from_pod(pod: dict[str, Any]) -> dict[str, Any] | None:
    """The explanation written on a pod, in the ``to_dict`` shape (None if absent)."""
    raw = ((pod.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION)
    if not raw:
        return None
    try:
        return expand(orjson.loads(raw))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def same_content(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Whether two records differ only in attempt number and time."""
    if a is None or b is None:
        return a is b
    return ({k: v for k, v in a.items() if k not in VOLATILE}
            == {k: v for k, v in b.items() if k not in VOLATILE})


