"""Required and preferred node affinity, end to end (acceptance items)."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.scheduler.helpers import (
    TAINT_MSG,
    WORKER,
    WORKER2,
    create,
    events,
    failed_message,
    get,
    label_node,
    node_of,
    pod,
)

ZONE_FOO = {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["foo"]}]}]}}


def test_required_affinity_without_matching_node_stays_pending(cluster: Cluster) -> None:
    create(cluster, pod("web", affinity={"nodeAffinity": ZONE_FOO}))
    cluster.advance(2)
    assert node_of(cluster, "web") == ""
    expected = (f"0/3 nodes are available: {TAINT_MSG}, 2 node(s) didn't match Pod's node "
                "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not "
                "helpful for scheduling..")
    assert failed_message(cluster, "web") == expected
    warning = events(cluster, "web", "FailedScheduling")
    assert warning and warning[-1]["type"] == "Warning"
    assert warning[-1]["message"] == expected
    assert warning[-1]["source"]["component"] == "default-scheduler"


def test_labelling_a_node_schedules_the_pending_pod(cluster: Cluster) -> None:
    create(cluster, pod("web", affinity={"nodeAffinity": ZONE_FOO}))
    cluster.advance(30)  # long past the first backoff: only an event can help now
    assert node_of(cluster, "web") == ""
    label_node(cluster, WORKER2, {"zone": "foo"})
    cluster.advance(2)
    assert node_of(cluster, "web") == WORKER2
    scheduled = events(cluster, "web", "Scheduled")
    assert scheduled[-1]["message"] == f"Successfully assigned default/web to {WORKER2}"
    assert get(cluster, "web")["status"]["conditions"]


def test_unrelated_node_change_does_not_requeue(cluster: Cluster) -> None:
    create(cluster, pod("web", affinity={"nodeAffinity": ZONE_FOO}))
    cluster.advance(30)
    before = len(events(cluster, "web", "FailedScheduling"))
    count = events(cluster, "web", "FailedScheduling")[-1]["count"]
    label_node(cluster, WORKER, {"unrelated": "x"})  # the hint says QueueSkip
    cluster.advance(2)
    after = events(cluster, "web", "FailedScheduling")
    assert len(after) == before and after[-1]["count"] == count


def test_node_selector(cluster: Cluster) -> None:
    label_node(cluster, WORKER, {"disk": "ssd"})
    cluster.advance(0.5)
    for i in range(3):
        create(cluster, pod(f"p{i}", nodeSelector={"disk": "ssd"}))
    cluster.advance(2)
    assert {node_of(cluster, f"p{i}") for i in range(3)} == {WORKER}


def test_preferred_affinity_weights_steer_placement(cluster: Cluster) -> None:
    label_node(cluster, WORKER, {"disk": "ssd"})
    label_node(cluster, WORKER2, {"zone": "east"})
    cluster.advance(0.5)
    preferred = {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 20, "preference": {"matchExpressions": [
            {"key": "disk", "operator": "In", "values": ["ssd"]}]}},
        {"weight": 80, "preference": {"matchExpressions": [
            {"key": "zone", "operator": "Exists"}]}},
    ]}
    create(cluster, pod("pref", cpu="100m", affinity={"nodeAffinity": preferred}))
    cluster.advance(2)
    assert node_of(cluster, "pref") == WORKER2
    # NodeAffinity's raw scores are the weights, normalised to the best (80 -> 100).
    from tests.scheduler.helpers import explain

    record = explain(cluster, "pref")
    scores = {n["node"]: n["plugins"]["NodeAffinity"] for n in record["score"]["nodes"]}
    assert scores[WORKER2] == {"raw": 80, "normalized": 100, "weight": 2, "weighted": 200}
    assert scores[WORKER] == {"raw": 20, "normalized": 25, "weight": 2, "weighted": 50}


def test_gt_lt_operators(cluster: Cluster) -> None:
    label_node(cluster, WORKER, {"gen": "3"})
    label_node(cluster, WORKER2, {"gen": "7"})
    cluster.advance(0.5)
    for name, op, value in (("newer", "Gt", "5"), ("older", "Lt", "5")):
        aff = {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "gen", "operator": op, "values": [value]}]}]}}
        create(cluster, pod(name, affinity={"nodeAffinity": aff}))
    cluster.advance(2)
    assert node_of(cluster, "newer") == WORKER2
    assert node_of(cluster, "older") == WORKER


def test_node_name_field_narrows_the_nodes(cluster: Cluster) -> None:
    """DaemonSet pods pin a node with ``matchFields metadata.name``; the other
    nodes get NodeAffinity's PreFilterResult status."""
    from tests.scheduler.helpers import CONTROL_PLANE

    def pinned(node: str) -> dict:
        return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [
                {"key": "metadata.name", "operator": "In", "values": [node]}]}]}}}

    create(cluster, pod("ds-worker", affinity=pinned(WORKER)))
    create(cluster, pod("ds-cp", affinity=pinned(CONTROL_PLANE)))
    cluster.advance(2)
    assert node_of(cluster, "ds-worker") == WORKER
    assert failed_message(cluster, "ds-cp") == (
        f"0/3 nodes are available: {TAINT_MSG}, 2 node(s) didn't satisfy plugin(s) "
        "[NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
        "for scheduling..")
