"""Why is this pod Pending: per node, the filter that rejected it or its scores.

Sources, best first:

1. The scheduler's explanation record: the pod annotation
   ``k9py.dev/scheduling-explanation`` (its compact form, version 1, written
   by engine/scheduler/explain.py: ``filter.rejected`` maps a node to
   ``[plugin, code, reason...]``; ``score`` lists ``plugins``, ``weights`` and
   per node ``[node, total, raw1, normalized1, raw2, normalized2, ...]``).
   When present it is shown as is (per plugin: normalized score x weight).
2. The scheduler's verdict in the API today: the PodScheduled=False
   condition and the FailedScheduling event ("0/3 nodes are available: ...").
3. k9py's estimate from the API objects, clearly labelled: the obvious
   filters (NodeName, NodeUnschedulable, NodeSelector, TaintToleration,
   NodeResourcesFit). Scores are ``n/a`` without the record.

Once the pod is bound (``spec.nodeName``) the explanation says so and marks
the winning node. The scheduler rewrites the record on every attempt, the
successful one included (with the Binding), but a record may still lack the
winner's row: with a single feasible node the scheduler does not score
(upstream ``schedulePod`` returns early), and a pod bound by anyone else keeps
the record of its last failed attempt. The winner's row is then added.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from k9py.ops.nodes import tolerates
from k9py.quantity import parse_quantity, requests_of
from k9py.render.base import condition, meta

EXPLANATION = "k9py.dev/scheduling-explanation"


@dataclass
class NodeVerdict:
    node: str
    fits: bool
    filter: str = ""
    reason: str = ""
    scores: dict[str, Any] = field(default_factory=dict)
    total: Any = None
    selected: bool = False  # the node the pod is bound to


@dataclass
class Explanation:
    source: str  # "scheduler" or "estimate"
    verdicts: list[NodeVerdict]
    summary: str = ""
    selected: str = ""
    events: list[str] = field(default_factory=list)
    result: str = ""  # the record's: Scheduled, Unschedulable, SchedulerError
    attempt: int | None = None
    time: str = ""
    bound: str = ""  # spec.nodeName: the pod is scheduled there
    scheduled_at: str = ""  # PodScheduled=True's lastTransitionTime

    def winner(self) -> NodeVerdict | None:
        return next((v for v in self.verdicts if v.selected), None)


def from_record(pod: dict[str, Any]) -> Explanation | None:
    raw = (meta(pod).get("annotations") or {}).get(EXPLANATION)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        if data.get("v") != 1:
            return None
        verdicts = [NodeVerdict(node, False, e[0], "; ".join(e[2:]))
                    for node, e in ((data.get("filter") or {}).get("rejected") or {}).items()]
        verdicts += _scored(data.get("score"))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    return Explanation("scheduler", verdicts, summary=data.get("message") or "",
                       selected=data.get("selectedNode") or "", result=data.get("result") or "",
                       attempt=data.get("attempt"), time=data.get("time") or "")


def _scored(score: dict[str, Any] | None) -> list[NodeVerdict]:
    """Feasible nodes with each plugin's weighted score and the total."""
    if not score:
        return []
    plugins, weights = score["plugins"], score["weights"]
    out = []
    for entry in score["nodes"]:
        scores = {name: entry[3 + 2 * j] * weight
                  for j, (name, weight) in enumerate(zip(plugins, weights, strict=True))}
        out.append(NodeVerdict(entry[0], True, scores=scores, total=entry[1]))
    return out


def _free(node: dict[str, Any], pods: list[dict[str, Any]]) -> dict[str, float]:
    alloc = (node.get("status") or {}).get("allocatable") or {}
    free = {}
    for k in ("cpu", "memory", "pods"):
        try:
            free[k] = parse_quantity(alloc.get(k, "0"))
        except ValueError:
            free[k] = 0.0
    name = meta(node).get("name")
    for p in pods:
        if (p.get("spec") or {}).get("nodeName") != name or (p.get("status") or {}).get(
                "phase") in ("Succeeded", "Failed"):
            continue
        req = requests_of(p)
        free["cpu"] -= req.get("cpu", 0.0)
        free["memory"] -= req.get("memory", 0.0)
        free["pods"] -= 1
    return free


def estimate_node(pod: dict[str, Any], node: dict[str, Any],
                  pods: list[dict[str, Any]]) -> NodeVerdict:
    """The first obvious filter that rejects the pod on this node, if any, in the
    scheduler's filter order (NodeUnschedulable, NodeName, TaintToleration,
    NodeAffinity, NodeResourcesFit)."""
    name = meta(node).get("name", "")
    spec = pod.get("spec") or {}
    if (node.get("spec") or {}).get("unschedulable") and not tolerates(
            pod, {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}):
        return NodeVerdict(name, False, "NodeUnschedulable", "node(s) were unschedulable")
    if spec.get("nodeName") and spec["nodeName"] != name:
        return NodeVerdict(name, False, "NodeName", "node(s) didn't match the requested node name")
    for t in (node.get("spec") or {}).get("taints") or []:
        if t.get("effect") in ("NoSchedule", "NoExecute") and not tolerates(pod, t):
            value = t.get("value", "")
            return NodeVerdict(name, False, "TaintToleration",
                               f"node(s) had untolerated taint {{{t.get('key')}: {value}}}")
    labels = meta(node).get("labels") or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return NodeVerdict(name, False, "NodeAffinity",
                           "node(s) didn't match Pod's node affinity/selector")
    free, req = _free(node, pods), requests_of(pod)
    if free["pods"] < 1:
        return NodeVerdict(name, False, "NodeResourcesFit", "Too many pods")
    for res, label in (("cpu", "cpu"), ("memory", "memory")):
        if req.get(res, 0.0) > free[res] + 1e-9:
            return NodeVerdict(name, False, "NodeResourcesFit", f"Insufficient {label}")
    return NodeVerdict(name, True, reason="fits (scores: n/a until the scheduler records them)")


def mark_winner(ex: Explanation, node: str) -> None:
    """Mark the verdict of the node the pod is bound to, adding the row when the
    record has none (one feasible node: not scored) or rejected it (a record
    older than the binding)."""
    verdict = next((v for v in ex.verdicts if v.node == node), None)
    if verdict is None:
        verdict = NodeVerdict(node, True, reason=_winner_note(ex))
        ex.verdicts.append(verdict)
    elif not verdict.fits:
        was = f"{verdict.filter}: {verdict.reason}"
        verdict.reason = f"bound here after attempt {ex.attempt}, which rejected it ({was})" \
            if ex.source == "scheduler" else f"bound here (the estimate rejects it now: {was})"
        verdict.fits, verdict.filter = True, ""
    verdict.selected = True


def _winner_note(ex: Explanation) -> str:
    if ex.source == "scheduler" and ex.result == "Scheduled" and ex.selected == ex.bound:
        return "the only feasible node: not scored"  # upstream scores 2+ nodes only
    return "bound here"


def _summary(ex: Explanation, cond: dict[str, Any], failed: list[str]) -> str:
    """Scheduled on the bound node, else the scheduler's latest verdict."""
    if not ex.bound:
        return cond.get("message") or (failed[-1] if failed else "")
    text = f"Scheduled on {ex.bound}"
    if ex.source == "scheduler" and not (ex.result == "Scheduled" and ex.selected == ex.bound):
        text += f" (the explanation record is of attempt {ex.attempt}, {ex.result or 'unknown'}:" \
                " the pod was bound after it)"
    return text


def explain(pod: dict[str, Any], nodes: list[dict[str, Any]], pods: list[dict[str, Any]],
            events: list[dict[str, Any]]) -> Explanation:
    """The latest explanation of the pod's scheduling: the scheduler's record if
    the pod has one, else k9py's estimate; once bound, the winner marked."""
    cond = condition(pod, "PodScheduled") or {}
    failed = [e.get("message", "") for e in events if e.get("reason") == "FailedScheduling"]
    bound = (pod.get("spec") or {}).get("nodeName") or ""
    ex = from_record(pod)
    if ex is None:
        others = [p for p in pods if meta(p).get("uid") != meta(pod).get("uid")]
        ex = Explanation("estimate", [estimate_node(pod, n, others) for n in nodes],
                         selected=bound)
    ex.events, ex.bound = failed, bound
    if bound:
        mark_winner(ex, bound)
        if cond.get("status") == "True":
            ex.scheduled_at = cond.get("lastTransitionTime") or ""
    ex.summary = _summary(ex, cond, failed)
    return ex
