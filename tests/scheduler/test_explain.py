"""The explanation record: in memory (full) and on the pod (bounded)."""

from __future__ import annotations

import json

from engine.cluster import Cluster
from engine.scheduler.explain import MAX_NODES
from tests.scheduler.helpers import (
    CONTROL_PLANE,
    WORKER,
    WORKER2,
    annotation,
    create,
    explain,
    get,
    node_of,
    pod,
    raw_annotation,
)


def test_success_record_shape_and_totals(cluster: Cluster) -> None:
    create(cluster, pod("web", cpu="250m", memory="64Mi"))
    cluster.advance(2)
    record = explain(cluster, "web")
    assert record["result"] == "Scheduled"
    assert record["selectedNode"] == node_of(cluster, "web")
    assert record["nodes"] == {"total": 3, "toFind": 3, "evaluated": 3, "feasible": 2}
    rejected = record["filter"]["rejected"]
    assert rejected == {CONTROL_PLANE: {
        "plugin": "TaintToleration", "code": "UnschedulableAndUnresolvable",
        "reasons": ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"]}}
    assert sorted(record["filter"]["passed"]) == [WORKER, WORKER2]
    # PreFilter plugins that had nothing to do with the pod said Skip.
    for plugin in ("NodeAffinity", "NodePorts", "VolumeBinding", "PodTopologySpread",
                   "InterPodAffinity"):
        assert record["preFilter"][plugin] == "Skip"
    score = record["score"]
    assert score["weights"] == {"TaintToleration": 3, "NodeResourcesFit": 1,
                                "NodeResourcesBalancedAllocation": 1, "ImageLocality": 1}
    assert set(score["skipped"]) == {"NodeAffinity", "PodTopologySpread", "InterPodAffinity"}
    for node in score["nodes"]:
        total = sum(p["weighted"] for p in node["plugins"].values())
        assert node["total"] == total
        for p in node["plugins"].values():
            assert p["weighted"] == p["normalized"] * p["weight"]
    best = score["nodes"][0]
    assert best["total"] >= score["nodes"][1]["total"]
    # LeastAllocated on an empty 4-CPU / 16Gi worker: (4000-250)*100//4000 = 93 for cpu.
    fit = best["plugins"]["NodeResourcesFit"]["raw"]
    assert 90 <= fit <= 100


def test_success_record_is_annotated_on_the_pod(cluster: Cluster) -> None:
    create(cluster, pod("web"))
    cluster.advance(2)
    data = annotation(get(cluster, "web"))
    assert data is not None
    assert data["result"] == "Scheduled" and data["selectedNode"] == node_of(cluster, "web")
    assert data["pod"] == "default/web" and data["attempt"] == 1


def test_failure_record_and_annotation(cluster: Cluster) -> None:
    create(cluster, pod("big", cpu="16"))
    cluster.advance(2)
    record = explain(cluster, "big")
    assert record["result"] == "Unschedulable"
    assert record["message"].startswith("0/3 nodes are available:")
    assert record["filter"]["reasons"] == {
        "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }": 1,
        "Insufficient cpu": 2}
    assert record["filter"]["rejected"][WORKER] == {
        "plugin": "NodeResourcesFit", "code": "UnschedulableAndUnresolvable",
        "reasons": ["Insufficient cpu"]}
    assert record["preemption"]["eligible"] is True
    assert record["preemption"]["candidates"] == []
    data = annotation(get(cluster, "big"))
    assert data["result"] == "Unschedulable" and data["message"] == record["message"]


def test_failure_annotation_not_rewritten_on_identical_retry(cluster: Cluster) -> None:
    create(cluster, pod("big", cpu="16"))
    cluster.advance(2)
    rv = get(cluster, "big")["metadata"]["resourceVersion"]
    cluster.advance(400)  # retried by the 5-minute flush
    assert explain(cluster, "big")["attempt"] >= 2
    assert get(cluster, "big")["metadata"]["resourceVersion"] == rv


def test_bounded_annotation(cluster: Cluster) -> None:
    from engine.scheduler.explain import AttemptRecord
    from engine.scheduler.framework.types import unschedulable

    record = AttemptRecord("default/x", 1, "t", 100)
    record.statuses = {f"n{i}": unschedulable("Insufficient cpu") for i in range(100)}
    data = record.to_dict(MAX_NODES)
    assert len(data["filter"]["rejected"]) == MAX_NODES
    assert data["filter"]["rejectedNotShown"] == 100 - MAX_NODES
    assert data["filter"]["reasons"] == {"Insufficient cpu": 100}


def test_annotation_expands_to_the_record_shape(cluster: Cluster) -> None:
    create(cluster, pod("web", cpu="100m"))
    cluster.advance(2)
    full = explain(cluster, "web")
    on_pod = annotation(get(cluster, "web"))
    assert on_pod["score"] == full["score"]  # 2 scored nodes: nothing left out
    assert on_pod["filter"]["rejected"] == full["filter"]["rejected"]
    assert on_pod["filter"]["reasons"] == full["filter"]["reasons"]
    assert {k: on_pod[k] for k in ("result", "selectedNode", "nodes", "preFilter")} == \
        {k: full[k] for k in ("result", "selectedNode", "nodes", "preFilter")}
    compact = raw_annotation(get(cluster, "web"))
    assert compact["v"] == 1 and len(json.dumps(compact)) < 2000


def test_older_records_come_back_from_the_annotation(cluster: Cluster, monkeypatch) -> None:
    import engine.scheduler.scheduler as scheduler_module

    monkeypatch.setattr(scheduler_module, "MAX_EXPLANATIONS", 2)
    for i in range(4):
        create(cluster, pod(f"w{i}", cpu="10m"))
        cluster.advance(0.5)
    record = explain(cluster, "w0")  # evicted from memory: read from the pod
    assert record["result"] == "Scheduled" and record["selectedNode"] == node_of(cluster, "w0")
    assert "passed" not in record["filter"]  # the annotation leaves that list out
    assert "passed" in explain(cluster, "w3")["filter"]  # still in memory, in full
