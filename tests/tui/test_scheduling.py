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
    record = {"selected": "", "nodes": [
        {"node": "a", "filter": "TaintToleration", "reason": "untolerated taint"},
        {"node": "b", "filter": None, "scores": {"NodeResourcesFit": 80}, "total": 80}]}
    p = pod()
    p["metadata"]["annotations"] = {EXPLANATION: json.dumps(record)}
    ex = explain(p, [node("a"), node("b")], [], [])
    assert ex.source == "scheduler"
    assert [(v.node, v.fits, v.filter, v.total) for v in ex.verdicts] == [
        ("a", False, "TaintToleration", None), ("b", True, "", 80)]
