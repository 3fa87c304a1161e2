"""The why-Pending view's data: the scheduler's record when present, else an estimate."""

from __future__ import annotations

import json

from k9py.scheduling import EXPLANATION, explain


def node(name: str, **spec: object) -> dict:
    return {"metadata": {"name": name, "labels": {"disk": "hdd"}}, "spec": dict(spec),
            "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}


def pod(**spec: object) -> dict:
    return {"metadata": {"name": "p", "uid": "u"}, "spec": {
        "containers": [{"name": "c", "resources": {"requests": {"cpu": "500m"}}}], **spec},
        "status": {"phase": "Pending", "conditions": [{
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
            "message": "0/3 nodes are available"}]}}


def test_estimate_names_the_first_rejecting_filter_in_scheduler_order() -> None:
    nodes = [node("cp", taints=[{"key": "node-role.kubernetes.io/control-plane",
                                 "effect": "NoSchedule"}]),
             node("cordoned", unschedulable=True), node("small"), node("ok")]
    busy = {"metadata": {"name": "hog", "uid": "h"}, "spec": {"nodeName": "small", "containers": [
        {"name": "c", "resources": {"requests": {"cpu": "1800m"}}}]}, "status": {}}
    ex = explain(pod(), nodes, [busy], [{"reason": "FailedScheduling", "message": "x"}])
    verdicts = {v.node: (v.fits, v.filter) for v in ex.verdicts}
    assert verdicts == {"cp": (False, "TaintToleration"),
                        "cordoned": (False, "NodeUnschedulable"),
                        "small": (False, "NodeResourcesFit"), "ok": (True, "")}
    assert ex.source == "estimate" and ex.summary == "0/3 nodes are available"
    assert ex.events == ["x"]
    assert explain(pod(nodeSelector={"disk": "ssd"}), [node("ok")], [], []).verdicts[
        0].filter == "NodeAffinity"


def test_the_schedulers_record_wins() -> None:
    """The record in the compact form engine/scheduler writes on the pod."""
    record = {"v": 1, "result": "Scheduled", "selectedNode": "b",
              "filter": {"reasons": {}, "rejected": {
                  "a": ["TaintToleration", "UnschedulableAndUnresolvable",
                        "node(s) had untolerated taint {dedicated: gpu}"]}},
              "score": {"plugins": ["TaintToleration", "NodeResourcesFit"], "weights": [3, 1],
                        "skipped": [], "nodes": [["b", 380, 0, 100, 80, 80]],
                        "nodesNotShown": 0}}
    p = pod()
    p["metadata"]["annotations"] = {EXPLANATION: json.dumps(record)}
    ex = explain(p, [node("a"), node("b")], [], [])
    assert ex.source == "scheduler" and ex.selected == "b"
    assert [(v.node, v.fits, v.filter, v.total) for v in ex.verdicts] == [
        ("a", False, "TaintToleration", None), ("b", True, "", 380)]
    assert ex.verdicts[0].reason == "node(s) had untolerated taint {dedicated: gpu}"
    assert ex.verdicts[1].scores == {"TaintToleration": 300, "NodeResourcesFit": 80}


def test_record_written_by_the_real_scheduler_is_read(cluster) -> None:  # noqa: ANN001
    cluster.client.create("pods", {"metadata": {"name": "placed"}, "spec": {
        "containers": [{"name": "c", "image": "nginx"}]}}, namespace="default")
    cluster.advance(3)
    placed = cluster.client.get("pods", "placed", "default")
    ex = explain(placed, cluster.client.list("nodes")["items"], [], [])
    assert ex.source == "scheduler"
    assert ex.selected == placed["spec"]["nodeName"]
    rejected = {v.node: v.filter for v in ex.verdicts if not v.fits}
    assert rejected == {"k9py-control-plane": "TaintToleration"}
