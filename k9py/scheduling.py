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


@dataclass
class Explanation:
    source: str  # "scheduler" or "estimate"
    verdicts: list[NodeVerdict]
    summary: str = ""
    selected: str = ""
    events: list[str] = field(default_factory=list)


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
                       selected=data.get("selectedNode") or "")


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


def explain(pod: dict[str, Any], nodes: list[dict[str, Any]], pods: list[dict[str, Any]],
            events: list[dict[str, Any]]) -> Explanation:
    record = from_record(pod)
    cond = condition(pod, "PodScheduled") or {}
    failed = [e.get("message", "") for e in events if e.get("reason") == "FailedScheduling"]
    summary = cond.get("message") or (failed[-1] if failed else "")
    if record is not None:
        record.summary, record.events = summary, failed
        return record
    others = [p for p in pods if meta(p).get("uid") != meta(pod).get("uid")]
    verdicts = [estimate_node(pod, n, others) for n in nodes]
    return Explanation("estimate", verdicts, summary, (pod.get("spec") or {}).get(
        "nodeName") or "", failed)
